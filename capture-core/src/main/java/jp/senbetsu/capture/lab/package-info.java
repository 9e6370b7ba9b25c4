/**
 * Lab tools on capture files the operator already holds: human-readable (JSON Lines) views of what the decoder
 * keeps, never of live traffic and never of payload. See docs/decode-output.md.
 */
package jp.senbetsu.capture.lab;
