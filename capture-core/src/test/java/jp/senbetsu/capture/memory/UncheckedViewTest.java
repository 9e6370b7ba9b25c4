package jp.senbetsu.capture.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The unchecked view reads what an ordinary buffer wrote, and under {@code -ea} still refuses every stray offset. */
class UncheckedViewTest
{
    @Test
    void readsAndWritesTheSameBytesAsTheCheckedBufferInNativeOrder()
    {
        try (DirectRegion region = new DirectRegion(4096))
        {
            final UnsafeBuffer checked = region.buffer();
            final UncheckedView view = new UncheckedView(checked);
            assertEquals(4096, view.capacity());
            checked.putLong(8, 0x0102030405060708L);
            checked.putInt(20, 0xCAFEBABE);
            checked.putShort(30, (short)0xBEEF);
            assertEquals(0x0102030405060708L, view.getLong(8));
            assertEquals(0xCAFEBABE, view.getInt(20));
            assertEquals((short)0xBEEF, view.getShort(30));
            view.putLong(4088, -2L);
            view.putInt(100, 7);
            view.putShort(200, (short)-3);
            view.putByte(300, (byte)9);
            assertEquals(-2L, checked.getLong(4088));
            assertEquals(7, checked.getInt(100));
            assertEquals(-3, checked.getShort(200));
            assertEquals(9, checked.getByte(300));
            view.setMemory(0, 4096, (byte)0);
            assertEquals(0, checked.getLong(4088));
            assertEquals(0, checked.getLong(8));
        }
    }

    @Test
    void everyOffsetOutsideTheViewIsRefusedWhenAssertionsAreOn()
    {
        boolean assertionsOn = false;
        assert assertionsOn = true;
        assumeTrue(assertionsOn, "the range checks are assertions: run with -ea (surefire does)");
        try (DirectRegion region = new DirectRegion(256))
        {
            final UncheckedView view = new UncheckedView(region.buffer());
            assertThrows(IndexOutOfBoundsException.class, () -> view.getLong(249));
            assertThrows(IndexOutOfBoundsException.class, () -> view.getLong(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> view.putInt(253, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> view.getShort(255));
            assertThrows(IndexOutOfBoundsException.class, () -> view.putByte(256, (byte)1));
            assertThrows(IndexOutOfBoundsException.class, () -> view.setMemory(200, 57, (byte)0));
            assertEquals(0, view.getLong(248), "the last whole long is inside");
        }
    }

    @Test
    void aViewOfAJavaArrayIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new UncheckedView(new UnsafeBuffer(new byte[64])));
    }
}
