package jp.senbetsu.capture.classify;

import org.agrona.DirectBuffer;

/**
 * Places a communication in a {@link Category} from its two addresses. capture-core calls it on the hot path
 * (before flows are metered, so 内内 traffic never enters the flow table) but does not implement it: the
 * selector module does, from the versioned domestic address table, and the appliance wires the two together.
 *
 * <p>Implementations must not allocate and must be safe to call from several pipeline threads at once.
 */
@FunctionalInterface
public interface CommunicationClassifier
{
    /**
     * @param ipVersion  4 or 6; anything else must yield {@link Category#UNKNOWN}.
     * @param buffer     holding both addresses in network order (IPv4 in the first 4 of 16 bytes).
     * @param srcOffset  absolute offset of the source address.
     * @param dstOffset  absolute offset of the destination address.
     * @return the {@link Category#code()} of the communication from source to destination.
     */
    int classify(int ipVersion, DirectBuffer buffer, int srcOffset, int dstOffset);
}
