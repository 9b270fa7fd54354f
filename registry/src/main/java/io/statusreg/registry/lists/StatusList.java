package io.statusreg.registry.lists;

import io.statusreg.registry.RegistryException;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * A packed status list in IETF bit order: entry {@code i} sits at bit offset {@code (i mod
 * (8/bits)) * bits} of byte {@code floor(i / (8/bits))}, least significant bits first.
 *
 * <p>The bytes are held in fixed-size pages of {@link #PAGE_BYTES}; a page that was never written
 * is absent and reads as zeros (VALID). The list is immutable and persistent: {@link #with} copies
 * one page and shares every other, so the fold can keep old versions cheaply and a Streams store
 * writes one page per change. {@link #toBytes()} assembles the byte array with a single copy of
 * each page.
 */
public final class StatusList {
  /** Bytes per page: 32,768 entries at 1 bit, 4,096 at 8 bits. */
  public static final int PAGE_BYTES = 4096;

  /** Largest byte length a list may have (one Java array). 100M entries at 8 bits fit. */
  public static final long MAX_BYTES = Integer.MAX_VALUE - 64L;

  private final int bits;
  private final long size;
  private final byte[][] pages;

  private StatusList(int bits, long size, byte[][] pages) {
    this.bits = bits;
    this.size = size;
    this.pages = pages;
  }

  /** A list of {@code size} entries, every one VALID. */
  public static StatusList empty(int bits, long size) {
    checkShape(bits, size);
    return new StatusList(bits, size, new byte[pageCount(bits, size)][]);
  }

  /** A list over the given packed bytes (copied into pages); trailing padding must be zero. */
  public static StatusList fromBytes(int bits, long size, byte[] packed) {
    checkShape(bits, size);
    long length = byteLength(bits, size);
    if (packed.length != length) {
      throw new RegistryException.InvalidInput(
          "status list of "
              + size
              + " entries at "
              + bits
              + " bits needs "
              + length
              + " bytes, got "
              + packed.length);
    }
    byte[][] pages = new byte[pageCount(bits, size)][];
    for (int p = 0; p < pages.length; p++) {
      int from = p * PAGE_BYTES;
      int to = (int) Math.min(length, (long) from + PAGE_BYTES);
      if (!allZero(packed, from, to)) {
        pages[p] = Arrays.copyOf(Arrays.copyOfRange(packed, from, to), PAGE_BYTES);
      }
    }
    StatusList list = new StatusList(bits, size, pages);
    list.checkPadding();
    return list;
  }

  public int bits() {
    return bits;
  }

  public long size() {
    return size;
  }

  /** Entries per byte: 8 / bits. */
  public int entriesPerByte() {
    return 8 / bits;
  }

  /** Entries held by one page. */
  public long entriesPerPage() {
    return (long) PAGE_BYTES * entriesPerByte();
  }

  /** The page that holds entry {@code idx}. */
  public int pageOf(long idx) {
    checkIndex(idx);
    return (int) (idx / entriesPerPage());
  }

  public int pageCount() {
    return pages.length;
  }

  /** Length of the packed byte array. */
  public long byteLength() {
    return byteLength(bits, size);
  }

  public int get(long idx) {
    checkIndex(idx);
    long byteIndex = idx / entriesPerByte();
    byte[] page = pages[(int) (byteIndex / PAGE_BYTES)];
    if (page == null) {
      return 0;
    }
    int shift = (int) (idx % entriesPerByte()) * bits;
    return (page[(int) (byteIndex % PAGE_BYTES)] >>> shift) & mask();
  }

  /** A list equal to this one but with entry {@code idx} set to {@code value}. */
  public StatusList with(long idx, int value) {
    checkIndex(idx);
    if (value < 0 || value > mask()) {
      throw new RegistryException.InvalidInput(
          "status value " + value + " does not fit in " + bits + " bits");
    }
    long byteIndex = idx / entriesPerByte();
    int pageNo = (int) (byteIndex / PAGE_BYTES);
    byte[] old = pages[pageNo];
    if (old == null && value == 0) {
      return this;
    }
    byte[] page = old == null ? new byte[PAGE_BYTES] : old.clone();
    int at = (int) (byteIndex % PAGE_BYTES);
    int shift = (int) (idx % entriesPerByte()) * bits;
    page[at] = (byte) ((page[at] & ~(mask() << shift)) | (value << shift));
    byte[][] copy = pages.clone();
    copy[pageNo] = allZero(page, 0, PAGE_BYTES) ? null : page;
    return new StatusList(bits, size, copy);
  }

  /**
   * A mutable editor starting from this list, for folding many changes at once: it copies the page
   * table on its first write and each page on the first write to that page, then writes in place.
   * This list never changes. Use an editor from one thread at a time.
   */
  public Editor edit() {
    return new Editor(this);
  }

  /** A copy of page {@code n} (always {@link #PAGE_BYTES} long; zeros when never written). */
  public byte[] page(int n) {
    byte[] page = pages[checkPage(n)];
    return page == null ? new byte[PAGE_BYTES] : page.clone();
  }

  /**
   * An opaque token for page {@code n}'s content, {@code null} when the page is all zeros: two
   * versions of a list (one derived from the other) return the same ({@code ==}) token for a page
   * neither changed, and different tokens for a page that changed, so a compressor can keep what it
   * made of unchanged pages. The token reveals nothing and cannot change the list.
   */
  public Object pageIdentity(int n) {
    byte[] page = pages[checkPage(n)];
    return page == null ? null : new PageKey(page);
  }

  /** Identity of a page array, comparable without exposing it. */
  private record PageKey(byte[] page) {
    @Override
    public boolean equals(Object o) {
      return o instanceof PageKey other && other.page == page;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(page);
    }

    @Override
    public String toString() {
      return "PageKey@" + Integer.toHexString(hashCode());
    }
  }

  /** Whether page {@code n} holds any non-zero entry. */
  public boolean hasPage(int n) {
    return pages[checkPage(n)] != null;
  }

  /** A list equal to this one but with page {@code n} replaced by {@code bytes}. */
  public StatusList withPage(int n, byte[] bytes) {
    checkPage(n);
    if (bytes.length != PAGE_BYTES) {
      throw new RegistryException.InvalidInput(
          "a page is " + PAGE_BYTES + " bytes, got " + bytes.length);
    }
    byte[][] copy = pages.clone();
    copy[n] = allZero(bytes, 0, PAGE_BYTES) ? null : bytes.clone();
    StatusList list = new StatusList(bits, size, copy);
    if (n == pages.length - 1) {
      list.checkPadding();
    }
    return list;
  }

  /** The packed bytes: one allocation, each page copied once. */
  public byte[] toBytes() {
    int length = (int) byteLength();
    byte[] out = new byte[length];
    for (int p = 0; p < pages.length; p++) {
      if (pages[p] != null) {
        int from = p * PAGE_BYTES;
        System.arraycopy(pages[p], 0, out, from, Math.min(PAGE_BYTES, length - from));
      }
    }
    return out;
  }

  /** Counts entries per status value (index = value, length 2^bits). */
  public long[] histogram() {
    long[] counts = new long[1 << bits];
    long nonZero = 0;
    for (int p = 0; p < pages.length; p++) {
      byte[] page = pages[p];
      if (page == null) {
        continue;
      }
      for (byte b : page) {
        if (b == 0) {
          continue;
        }
        for (int e = 0; e < entriesPerByte(); e++) {
          int v = (b >>> (e * bits)) & mask();
          if (v != 0) {
            counts[v]++;
            nonZero++;
          }
        }
      }
    }
    counts[0] = size - nonZero;
    return counts;
  }

  /** Calls {@code action} with every index whose status is not VALID, in ascending order. */
  public void forEachNonZero(java.util.function.LongConsumer action) {
    long perPage = entriesPerPage();
    for (int p = 0; p < pages.length; p++) {
      byte[] page = pages[p];
      if (page == null) {
        continue;
      }
      for (int i = 0; i < PAGE_BYTES; i++) {
        if (page[i] == 0) {
          continue;
        }
        for (int e = 0; e < entriesPerByte(); e++) {
          if (((page[i] >>> (e * bits)) & mask()) != 0) {
            action.accept(p * perPage + (long) i * entriesPerByte() + e);
          }
        }
      }
    }
  }

  /** Visits the page numbers that hold any non-zero entry. */
  public void forEachPage(IntConsumer action) {
    for (int p = 0; p < pages.length; p++) {
      if (pages[p] != null) {
        action.accept(p);
      }
    }
  }

  /**
   * Edits in place what {@link #with} would copy: a fold of n changes to one page copies that page
   * once instead of n times. {@link #list()} hands out an immutable list and forgets what the
   * editor owned, so later writes copy again and never touch a list already handed out.
   */
  public static final class Editor {
    private StatusList base;
    private byte[][] pages;
    private boolean tableOwned;
    private long[] owned;
    private long[] zeroed;

    private Editor(StatusList base) {
      this.base = base;
      this.pages = base.pages;
    }

    public int get(long idx) {
      base.checkIndex(idx);
      int perByteShift = base.entriesPerByteShift();
      long byteIndex = idx >>> perByteShift;
      byte[] page = pages[(int) (byteIndex / PAGE_BYTES)];
      if (page == null) {
        return 0;
      }
      int shift = (int) (idx & ((1 << perByteShift) - 1)) * base.bits;
      return (page[(int) (byteIndex % PAGE_BYTES)] >>> shift) & base.mask();
    }

    /** Sets entry {@code idx} to {@code value}, as {@link StatusList#with} would. */
    public void set(long idx, int value) {
      base.checkIndex(idx);
      if (value < 0 || value > base.mask()) {
        throw new RegistryException.InvalidInput(
            "status value " + value + " does not fit in " + base.bits + " bits");
      }
      int perByteShift = base.entriesPerByteShift();
      long byteIndex = idx >>> perByteShift;
      int pageNo = (int) (byteIndex / PAGE_BYTES);
      byte[] page = pages[pageNo];
      if (page == null && value == 0) {
        return;
      }
      ownTable();
      if ((owned[pageNo >>> 6] & (1L << pageNo)) == 0) {
        page = page == null ? new byte[PAGE_BYTES] : page.clone();
        pages[pageNo] = page;
        owned[pageNo >>> 6] |= 1L << pageNo;
      }
      int at = (int) (byteIndex % PAGE_BYTES);
      int shift = (int) (idx & ((1 << perByteShift) - 1)) * base.bits;
      page[at] = (byte) ((page[at] & ~(base.mask() << shift)) | (value << shift));
      if (value == 0) {
        // The page may now be all zeros: checked once, when the list is handed out.
        zeroed[pageNo >>> 6] |= 1L << pageNo;
      }
    }

    /**
     * Replaces page {@code n} by a copy of {@code bytes} (a stored page read into the list being
     * edited), as {@link StatusList#withPage} would, but without handing out a list: the editor
     * owns the copy, so later writes to the page go in place, and the page table is copied once per
     * editor, not once per page.
     */
    public void putPage(int n, byte[] bytes) {
      base.checkPage(n);
      if (n == pages.length - 1) {
        base.withPage(n, bytes); // validates the last page's padding (once per list)
      } else if (bytes.length != PAGE_BYTES) {
        throw new RegistryException.InvalidInput(
            "a page is " + PAGE_BYTES + " bytes, got " + bytes.length);
      }
      ownTable();
      if (allZero(bytes, 0, PAGE_BYTES)) {
        pages[n] = null;
        owned[n >>> 6] &= ~(1L << n);
      } else {
        pages[n] = bytes.clone();
        owned[n >>> 6] |= 1L << n;
      }
    }

    private void ownTable() {
      if (!tableOwned) {
        pages = pages.clone();
        owned = new long[(pages.length + 63) / 64];
        zeroed = new long[owned.length];
        tableOwned = true;
      }
    }

    /** The list as edited so far; the same instance as the start when nothing was written. */
    public StatusList list() {
      if (tableOwned) {
        for (int w = 0; w < zeroed.length; w++) {
          for (long bits = zeroed[w]; bits != 0; bits &= bits - 1) {
            int p = w * 64 + Long.numberOfTrailingZeros(bits);
            if (pages[p] != null && allZero(pages[p], 0, PAGE_BYTES)) {
              pages[p] = null;
            }
          }
        }
        base = new StatusList(base.bits, base.size, pages);
        tableOwned = false;
        owned = null;
        zeroed = null;
      }
      return base;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StatusList other) || other.bits != bits || other.size != size) {
      return false;
    }
    for (int p = 0; p < pages.length; p++) {
      byte[] a = pages[p];
      byte[] b = other.pages[p];
      if (a != b
          && !Arrays.equals(
              a == null ? new byte[PAGE_BYTES] : a, b == null ? new byte[PAGE_BYTES] : b)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 31 * bits + Long.hashCode(size);
    for (byte[] page : pages) {
      h = 31 * h + (page == null ? 0 : Arrays.hashCode(page));
    }
    return h;
  }

  @Override
  public String toString() {
    return "StatusList[bits=" + bits + ", size=" + size + ", pages=" + pages.length + "]";
  }

  public static long byteLength(int bits, long size) {
    return (size * bits + 7) / 8;
  }

  public static int pageCount(int bits, long size) {
    return (int) ((byteLength(bits, size) + PAGE_BYTES - 1) / PAGE_BYTES);
  }

  public static boolean isValidBits(int bits) {
    return bits == 1 || bits == 2 || bits == 4 || bits == 8;
  }

  /**
   * Whether a list of {@code size} entries at {@code bits} can exist: at least one entry, and no
   * more than fit in {@link #MAX_BYTES} (checked without overflow for any {@code long} size).
   */
  public static boolean isValidShape(int bits, long size) {
    return isValidBits(bits) && size >= 1 && size <= MAX_BYTES * 8 / bits;
  }

  private static void checkShape(int bits, long size) {
    if (!isValidBits(bits)) {
      throw new RegistryException.InvalidInput("bits must be 1, 2, 4 or 8, got " + bits);
    }
    if (!isValidShape(bits, size)) {
      throw new RegistryException.InvalidInput(
          "size must be between 1 and "
              + (MAX_BYTES * 8 / bits)
              + " entries at "
              + bits
              + " bits, got "
              + size);
    }
  }

  /** log2(8 / bits): entries per byte as a shift. */
  private int entriesPerByteShift() {
    return 3 - Integer.numberOfTrailingZeros(bits);
  }

  private int mask() {
    return (1 << bits) - 1;
  }

  private void checkIndex(long idx) {
    if (idx < 0 || idx >= size) {
      throw new IndexOutOfRange(idx, size);
    }
  }

  private int checkPage(int n) {
    if (n < 0 || n >= pages.length) {
      throw new RegistryException.InvalidInput(
          "page " + n + " is outside [0, " + pages.length + ")");
    }
    return n;
  }

  private void checkPadding() {
    long usedBits = size * bits;
    long lastByte = (usedBits - 1) / 8;
    int usedInLast = (int) (usedBits - lastByte * 8);
    byte[] page = pages[(int) (lastByte / PAGE_BYTES)];
    boolean dirty = false;
    if (page != null) {
      int at = (int) (lastByte % PAGE_BYTES);
      dirty = usedInLast < 8 && (page[at] & 0xff) >>> usedInLast != 0;
      dirty |= !allZero(page, at + 1, PAGE_BYTES);
    }
    if (dirty) {
      throw new RegistryException.InvalidInput(
          "status list has non-zero bits beyond its " + size + " entries");
    }
  }

  private static boolean allZero(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** An index outside {@code [0, size)}. */
  public static final class IndexOutOfRange extends RegistryException.InvalidInput {
    public IndexOutOfRange(long idx, long size) {
      super("index " + idx + " is outside the list's range [0, " + size + ")");
    }
  }
}
