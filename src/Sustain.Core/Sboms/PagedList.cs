using System.Numerics;
using System.Runtime.CompilerServices;

namespace Sustain.Core.Sboms;

/// <summary>
/// A list kept in pages of a fixed size rather than in one array that doubles: past the first page, adding never copies
/// what is there and leaves no outgrown array behind, so reading a large document writes each record once and gives
/// the garbage collector nothing to free. The first page grows as a list does, so a small document stays small.
/// Items are reached by reference, for the records a reader fills in place.
/// </summary>
internal sealed class PagedList<T>
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
            _pages[page] = new T[PageSize];
        _pages[page][slot] = item;
        Count = index + 1;
        return index;
    }
}
