package jp.senbetsu.appliance.daemon;

import jp.senbetsu.capture.source.LibpcapSourceConfiguration;
import jp.senbetsu.capture.source.MirrorReceiverConfiguration;

/** One configured live capture source: a tap interface read through libpcap, or a UDP mirror feed. */
public sealed interface SourceSpec
{
    /** A tap port read through libpcap. */
    record Libpcap(LibpcapSourceConfiguration configuration) implements SourceSpec
    {
    }

    /** A VXLAN or Geneve mirror feed from a packet broker. */
    record Mirror(MirrorReceiverConfiguration configuration) implements SourceSpec
    {
    }
}
