namespace Sustain.Core.Sboms;

/// <summary>
/// A list kept in pages of a fixed size rather than in one array that doubles: past the first page, adding never copies
/// what is there and leaves no outgrown array behind, so reading a large document writes each record once and gives
/// the garbage collector nothing to free. The first page grows as a list does, so a small document stays small.
/// Items are reached by reference, for the records a reader fills in place.
/// </summary>
internal sealed class PagedList<T>
{
    /// <summary>4,096 items a page: a page of records (64 bytes each) is 256 KiB, on the large object heap, never moved.</summary>
    private const int PageShift = 12;

    private const int PageSize = 1 << PageShift;

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
