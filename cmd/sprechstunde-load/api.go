package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// The API's request and answer bodies as far as the rush uses them: the
// tool is a client of the public HTTP API like a browser, not of the
// server's code.

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type loginResponse struct {
	CSRFToken string `json:"csrf_token"`
}

type serviceInput struct {
	Name            string `json:"name"`
	DurationMinutes int    `json:"duration_minutes"`
	HorizonDays     int    `json:"horizon_days"`
	Published       bool   `json:"published"`
}

type idAnswer struct {
	ID int64 `json:"id"`
}

type userInput struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
	Role     string `json:"role"`
}

type hoursInput struct {
	ClerkID int64  `json:"clerk_id"`
	Weekday int    `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

type slot struct {
	Start string `json:"start"`
}

type bookingRequest struct {
	ServiceID int64  `json:"service_id"`
	Start     string `json:"start"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Consent   bool   `json:"consent"`
	Language  string `json:"language,omitempty"`
}

func postJSON(ctx context.Context, c *http.Client, url, csrf string, body any, want int, out any) error {
	status, raw, err := doJSON(ctx, c, http.MethodPost, url, csrf, body, out)
	if err != nil {
		return err
	}
	if status != want {
		return fmt.Errorf("POST %s: status %d: %s", url, status, raw)
	}
	return nil
}

func doJSON(ctx context.Context, c *http.Client, method, url, csrf string, body any, out any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, raw, err
		}
	}
	return resp.StatusCode, raw, nil
}
