package sfu

import (
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
)

// headerCache is the innermost interceptor on every received RTP stream.
// The NACK generator, receiver reports and TWCC each need the packet's
// parsed header; without a header in the attributes, the first of them
// allocates a map and a header for every packet, which at tens of
// thousands of packets per second is most of the SFU's garbage and so of
// its GC pauses. Here each stream parses into one header it keeps, inside
// one attributes map it keeps.
//
// A stream's reader is called by one goroutine at a time, and the
// attributes are only valid until the next Read (the forwarding loop
// ignores them).
type headerCache struct {
	interceptor.NoOp
}

type headerCacheFactory struct{}

func (headerCacheFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	return &headerCache{}, nil
}

// BindRemoteStream implements interceptor.Interceptor.
func (*headerCache) BindRemoteStream(_ *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	attr := interceptor.Attributes{}
	var hdr *rtp.Header
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, got, err := reader.Read(b, a)
		if err != nil || got != nil {
			return n, got, err
		}
		if hdr == nil {
			// GetRTPHeader stores the header it parses under its own key;
			// later packets are parsed into that same header.
			hdr, err = attr.GetRTPHeader(b[:n])
			if err != nil {
				hdr = nil
				return 0, nil, err
			}
			return n, attr, nil
		}
		if _, err := hdr.Unmarshal(b[:n]); err != nil {
			return 0, nil, err
		}
		return n, attr, nil
	})
}
