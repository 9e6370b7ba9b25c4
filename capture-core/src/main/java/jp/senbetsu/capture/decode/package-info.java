/**
 * The header decoder: captured packet in, {@link jp.senbetsu.capture.record.MachineInfoRecord} out, nothing else
 * kept. {@link jp.senbetsu.capture.decode.PacketDecoder} is the entry point; one class per protocol decodes one
 * header (a reader finds VXLAN in {@code VxlanDecoder}, the IPv6 extension chain in {@code Ipv6Decoder}) and
 * hands the rest to the {@code LayerDispatcher}, which routes by link type, EtherType, IP protocol or UDP port and
 * bounds nesting. Every read is checked against the captured length first; malformed or unsupported packets end
 * with a {@link jp.senbetsu.capture.decode.DecodeStatus}, counted in
 * {@link jp.senbetsu.capture.decode.DecodeCounters}. Nothing is allocated per packet.
 *
 * <p>Correctness is proven against tshark on the shared third-party corpus (DecoderTsharkAgreementTest,
 * docs/decoder-differences.md); the record layout is in docs/record-format.md.
 */
package jp.senbetsu.capture.decode;
