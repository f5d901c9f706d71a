using System.Numerics;
using System.Runtime.CompilerServices;

namespace Sustain.Core.Sboms;

/// <summary>
/// A list kept in pages of a fixed size rather than in one array that doubles: past the first page, adding never copies
/// what is there and leaves no outgrown array behind, so reading a large document writes each record once and gives
/// the garbage collector nothing to free. The first page grows as a list does, so a small document stays small.
/// Items are reached by reference, for the records a reader fills in place.
/// </summary>
internal sealed class PagedList<T> : IReadOnlyList<T>
{
    /// <summary>
    /// At least 4,096 items a page, and at least 128 KiB, so that every full page is on the large object heap, where the
    /// collector never moves it: 4,096 records of 64 bytes, 16,384 references.
    /// </summary>
    private static readonly int PageShift = Math.Max(12, 64 - BitOperations.LeadingZeroCount((ulong)((128 * 1024 / Unsafe.SizeOf<T>()) - 1)));

    private static readonly int PageSize = 1 << PageShift;

    private const int FirstCapacity = 16;

    private T[][] _pages = [];

    public int Count { get; private set; }

    public ref T this[int index] => ref _pages[index >> PageShift][index & (PageSize - 1)];

    T IReadOnlyList<T>.this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return this[index];
        }
    }

    /// <summary>Adds an item and returns its index.</summary>
    public int Add(in T item)
    {
        var index = Count;
        var page = index >> PageShift;
        var slot = index & (PageSize - 1);
        if (page == _pages.Length)
            Array.Resize(ref _pages, Math.Max(4, page * 2));
        if (page == 0 && (_pages[0] is null || slot == _pages[0].Length))
            Array.Resize(ref _pages[0], Math.Min(PageSize, Math.Max(FirstCapacity, slot * 2)));
        else if (slot == 0)
            _pages[page] = NewPage();
        _pages[page][slot] = item;
        Count = index + 1;
        return index;
    }

    /// <summary>
    /// A full page, not cleared first when it holds no references: only what has been added is ever read, and clearing a
    /// fresh page would only touch memory a read of a large document has not needed yet.
    /// </summary>
    private static T[] NewPage() =>
        RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? new T[PageSize] : GC.AllocateUninitializedArray<T>(PageSize);

    /// <summary>Keeps the first <paramref name="count"/> items, for a list compacted in place.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count, nameof(count));
        Count = count;
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
