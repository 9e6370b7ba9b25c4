/**
 * Capture core: sources, the ring, header decoding and the flow meter. Everything here runs before
 * selection, so nothing in this module may write a record, a packet or payload bytes anywhere but memory.
 */
package jp.senbetsu.capture;
