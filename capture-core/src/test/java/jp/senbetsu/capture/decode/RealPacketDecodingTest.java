package jp.senbetsu.capture.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One real packet per decoder (link layers, IP, transports, tunnels), decoded and printed as the lab tool prints
 * it. The agreement test already checks addresses, protocol, ports, flags, VLANs and MPLS labels of every packet
 * against tshark; these cases add what it does not compare: tunnel type, outer endpoints, tunnel ID (checked
 * against tshark's vxlan.vni, geneve.vni, gtp.teid, erspan.spanid, gre.key.call_id), fragment fields and status.
 */
class RealPacketDecodingTest
{
    @ParameterizedTest(name = "{0} #{1}")
    @CsvSource(delimiter = '|', textBlock = """
        zeek_vxlan-triple-v2.pcap          | 1  | "src":"4.4.4.4","dst":"4.4.4.9","proto":17,"sport":53,"dport":53,"tunnel":{"type":"vxlan","src":"3.3.3.3","dst":"3.3.3.9","id":3,"depth":3},"status":"ok"
        zeek_vxlan.pcap                    | 1  | "src":"192.168.56.11","dst":"192.168.56.12","proto":17,"sport":39924,"dport":4789,"tunnel":{"type":"vxlan","src":"192.168.56.11","dst":"192.168.56.12","id":123,"depth":1},"status":"eth.unsupported_ethertype"
        zeek_geneve-ipv6.pcap              | 1  | "src":"fd00::1","dst":"fd00::2","proto":17,"sport":40000,"dport":40001,"tunnel":{"type":"geneve","src":"10.0.0.1","dst":"10.0.0.2","id":1193046,"depth":1},"status":"ok"
        pcapplusplus_gtp-u.pcap            | 1  | "src":"202.11.40.158","dst":"192.168.40.178","proto":1,"icmp_type":8,"icmp_code":0,"tunnel":{"type":"gtpu","src":"192.168.40.179","dst":"192.168.40.178","id":1,"depth":1},"status":"ok"
        zeek_gtp_ext_header.pcap           | 1  | "src":"10.155.182.202","dst":"10.155.186.57","proto":6,"sport":41511,"dport":6005,"tcp_flags":16,"tunnel":{"type":"gtpu","src":"10.155.148.149","dst":"10.155.148.157","id":1050199,"depth":1},"status":"ok"
        zeek_gtp_ext_header.pcap           | 2  | "src":"10.155.148.149","dst":"10.155.148.157","proto":17,"frag":{"id":8332,"offset":1480,"more":false},"status":"ok"
        zeek_erspanI.pcap                  | 1  | "src":"172.16.133.2","dst":"172.217.11.78","proto":1,"icmp_type":8,"icmp_code":0,"tunnel":{"type":"erspan1","src":"192.168.1.1","dst":"192.168.1.2","depth":1},"status":"ok"
        zeek_erspanII.pcap                 | 1  | "src":"23.0.0.2","dst":"23.0.0.3","proto":1,"icmp_type":8,"icmp_code":0,"tunnel":{"type":"erspan2","src":"2.2.2.2","dst":"1.1.1.1","id":100,"depth":1},"status":"ok"
        zeek_erspanIII.pcap                | 1  | "src":"192.168.15.47","dst":"1.1.1.1","proto":1,"icmp_type":8,"icmp_code":0,"tunnel":{"type":"erspan3","src":"10.0.0.1","dst":"10.0.0.2","id":0,"depth":1},"status":"ok"
        zeek_gre-within-gre.pcap           | 1  | "src":"10.10.25.1","dst":"192.168.1.2","proto":1,"icmp_type":8,"icmp_code":0,"tunnel":{"type":"gre","src":"10.10.11.2","dst":"10.10.13.2","depth":2},"status":"ok"
        tcpdump_pptp.pcap                  | 16 | "src":"10.1.1.11","dst":"10.1.1.10","proto":47,"tunnel":{"type":"gre","src":"10.1.1.11","dst":"10.1.1.10","id":0,"depth":1},"status":"ppp.unsupported_protocol"
        zeek_4in4.pcap                     | 1  | "src":"10.0.0.1","dst":"10.0.0.2","proto":17,"sport":30000,"dport":13000,"tunnel":{"type":"ipip","src":"1.2.3.4","dst":"5.6.7.8","depth":1},"status":"ok"
        zeek_ping6-in-ipv4.pcap            | 1  | "src":"2001:db8:0:1::1","dst":"2001:db8:0:1::2","proto":58,"icmp_type":128,"icmp_code":0,"tunnel":{"type":"6in4","src":"10.0.0.1","dst":"10.0.0.2","depth":1},"status":"ok"
        zeek_4in6.pcap                     | 1  | "src":"70.55.213.211","dst":"192.88.99.1","proto":6,"sport":31337,"dport":80,"tcp_flags":2,"tunnel":{"type":"4in6","src":"2002:4637:d5d3::4637:d5d3","dst":"2001:4860:0:2001::68","depth":1},"status":"ok"
        zeek_Teredo.pcap                   | 6  | "src":"fe80::8000:ffff:ffff:fffd","dst":"ff02::2","proto":58,"icmp_type":133,"icmp_code":0,"tunnel":{"type":"teredo","src":"192.168.2.16","dst":"65.55.158.80","depth":1},"status":"ok"
        tcpdump_mpls-over-udp.pcap         | 1  | "src":"10.3.0.10","dst":"10.1.0.10","proto":1,"icmp_type":8,"icmp_code":0,"mpls":[21],"tunnel":{"type":"mpls-udp","src":"10.100.12.170","dst":"10.100.13.157","depth":1},"status":"ok"
        tcpdump_nsh-over-vxlan-gpe.pcap    | 1  | "src":"192.168.0.1","dst":"192.168.0.2","proto":17,"sport":10000,"dport":20000,"tunnel":{"type":"vxlan-gpe","src":"127.0.0.1","dst":"127.0.0.1","id":16777215,"depth":1},"status":"ok"
        zeek_vlan-qinqinq.pcap             | 1  | "src":"141.142.228.5","dst":"192.150.187.43","proto":6,"sport":59856,"dport":80,"tcp_flags":2,"vlan":[30,20,10],"status":"ok"
        pcapplusplus_QinQ_802.1_AD.pcapng  | 1  | "src":"192.85.1.22","dst":"192.85.1.14","proto":253,"vlan":[30,100],"status":"ok"
        pcapplusplus_MplsPackets.pcap      | 2  | "src":"192.168.1.2","dst":"192.168.1.1","proto":1,"icmp_type":0,"icmp_code":0,"vlan":[1],"mpls":[18,16],"status":"ok"
        suricata_pppoe-session-http.pcap   | 1  | "src":"10.100.0.0","dst":"142.250.179.131","proto":6,"sport":57013,"dport":80,"tcp_flags":2,"status":"ok"
        zeek_nflog-http.pcap               | 1  | "src":"10.0.2.15","dst":"93.184.216.34","proto":6,"sport":49762,"dport":80,"tcp_flags":2,"status":"ok"
        pcapplusplus_CiscoHDLC.pcap        | 1  | "src":"10.0.0.1","dst":"10.0.0.2","proto":1,"icmp_type":8,"icmp_code":0,"status":"ok"
        zeek_linux_dlt_sll2.pcap           | 1  | "src":"192.0.2.1","dst":"192.0.2.1","proto":1,"icmp_type":8,"icmp_code":0,"status":"ok"
        pcapplusplus_sll.pcap              | 1  | "src":"10.0.0.138","dst":"10.0.0.255","proto":17,"sport":520,"dport":520,"status":"ok"
        suricata_linktype-228.pcap         | 1  | "src":"192.168.0.2","dst":"192.168.0.1","proto":6,"sport":15057,"dport":443,"tcp_flags":2,"status":"ok"
        pcapplusplus_raw_ip.pcap           | 1  | "src":"2001:618:400::5199:cc70","dst":"2001:618:1:8000::5","proto":6,"sport":35995,"dport":80,"tcp_flags":2,"status":"ok"
        zeek_irc-353.pcap                  | 1  | "src":"::1","dst":"::1","proto":6,"sport":65388,"dport":6666,"tcp_flags":2,"status":"ok"
        gopacket_test_loopback.pcap        | 1  | "src":"::1","dst":"::1","proto":6,"sport":58799,"dport":8080,"tcp_flags":24,"status":"ok"
        suricata_frag-ppp-ip-tcp-syn.pcap  | 1  | "src":"1.1.1.1","dst":"2.2.2.2","proto":6,"sport":12345,"dport":8080,"frag":{"id":1,"offset":0,"more":true},"status":"tcp.truncated"
        pcapplusplus_ip4_fragments.pcap    | 2  | "src":"10.118.213.212","dst":"10.118.213.211","proto":17,"frag":{"id":7840,"offset":1480,"more":true},"status":"ok"
        pcapplusplus_ip6_fragments.pcap    | 2  | "src":"fe80::21f:f3ff:fecd:f617","dst":"ff02::fb","proto":17,"frag":{"id":2904867,"offset":120,"more":true},"status":"ok"
        libpcap_ipv6_ext_headers.pcap      | 1  | "src":"2001:db8::1","dst":"2001:db8::2","proto":17,"sport":12345,"dport":54321,"frag":{"id":97,"offset":0,"more":false},"status":"ok"
        pcapplusplus_IcmpPackets.pcap      | 6  | "src":"10.0.2.2","dst":"10.0.1.2","proto":1,"icmp_type":3,"icmp_code":3,"status":"ok"
        zeek_icmp6-paramprob.pcap          | 1  | "src":"fe80::dead","dst":"fe80::beef","proto":58,"icmp_type":4,"icmp_code":0,"status":"ok"
        tcpdump_ipoib.pcap                 | 9  | "src":"192.168.56.10","dst":"192.168.56.24","proto":6,"sport":34170,"dport":22,"tcp_flags":194,"status":"ok"
        tcpdump_macsec-integonly.pcap      | 1  | "src":"192.168.113.1","dst":"192.168.113.2","proto":1,"icmp_type":8,"icmp_code":0,"status":"ok"
        libpcap_http_PPI.pcap              | 5  | "src":"192.168.1.132","dst":"130.192.73.1","proto":6,"sport":3827,"dport":80,"tcp_flags":2,"status":"ok"
        suricata_decode-etag-01.pcap       | 1  | "src":"52.114.124.106","dst":"192.168.1.46","proto":6,"sport":443,"dport":52566,"tcp_flags":16,"status":"ok"
        zeek_vntag.pcap                    | 1  | "src":"1.1.1.1","dst":"1.1.2.1","proto":253,"vlan":[11],"status":"ok"
        zeek_cisco-fabric-path.pcap        | 2  | "src":"1.1.1.6","dst":"2.2.2.2","proto":17,"sport":57005,"dport":48879,"status":"ok"
        zeek_sctp.pcap                     | 1  | "src":"192.168.170.8","dst":"192.168.170.56","proto":132,"sport":7,"dport":7,"status":"ok"
        tcpdump_bigtcp-ipv6-hbh.pcap       | 1  | "src":"2604:1380:4091:ce00::d","dst":"2604:1380:4091:ce00::b","proto":6,"sport":41851,"dport":43913,"tcp_flags":24,"status":"ok"
        zeek_pbb-recursive-frames.pcapng   | 1  | "src":"192.0.2.1","dst":"198.51.100.1","proto":17,"sport":12345,"dport":53,"status":"ok"
        suricata_decode-too-many-layers.pcap | 1 | "mpls":[16,16,16,16],"status":"decode.too_many_layers"
        """)
    void decodesTheRealPacketAsExpected(final String file, final int number, final String expectedFields)
    {
        final CapturedPackets.Packet p = CapturedPackets.packet(file, number);
        final MachineInfoRecord record = CapturedPackets.decode(new PacketDecoder(), p, p.bytes());
        final String prefix = "{\"ts\":" + p.timestampNs() + ",\"len\":" + p.wireLength() + ",\"caplen\":" + p.bytes().length + ",";
        assertEquals(prefix + expectedFields + "}", CapturedPackets.json(record));
    }
}
