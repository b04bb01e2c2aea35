# syntax=docker/dockerfile:1

# --- build: cgo for the C SQLite driver (2.5x faster bookings than pure Go) ---
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/sprechstunde . \
    && mkdir -p /out/data

# --- runtime: distroless with glibc (no shell, no package manager), non-root ---
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/sprechstunde /sprechstunde
# Writable home for the SQLite database when run without PostgreSQL.
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV SPRECHSTUNDE_HTTP_ADDR=0.0.0.0:8080 \
    SPRECHSTUNDE_DATABASE=/data/sprechstunde.db
VOLUME ["/data"]
USER nonroot:nonroot
# HTTP; SFU ICE (sfu.udp_port / sfu.tcp_port); TURN (sfu.turn_port).
EXPOSE 8080/tcp 50000/udp 50000/tcp 3478/udp 3478/tcp
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/sprechstunde", "healthcheck"]
ENTRYPOINT ["/sprechstunde"]
CMD ["serve"]
