using System.Buffers;
using System.IO.Hashing;
using System.Text;
using System.Text.Unicode;

namespace Sustain.Core.Sboms;

/// <summary>
/// The components (or SPDX elements) of a document by their ref, so that neither adding nor finding one needs a string.
/// The refs are kept as UTF-8, one after another in a buffer of their own, and the table holds four bytes a slot: an
/// entry's index and eight bits of its hash, which rule out nearly every other entry without touching its ref. A
/// document's edges look up hundreds of thousands of refs in no useful order, and this keeps what each lookup touches
/// small and close: a slot, the entry's end in a small array, and its ref. A JSON reader looks a ref up by the
/// document's own bytes, without decoding it. Hashed with a seed chosen per table, so a hostile document cannot choose refs that collide.
/// </summary>
internal sealed class RefTable
{
    /// <summary>Refs longer than this (in characters) are encoded into an array rather than onto the stack.</summary>
    internal const int StackChars = 128;

    /// <summary>Slots hold an index plus one in their low 24 bits; a zero slot is empty.</summary>
    private const int MaxEntries = (1 << 24) - 2;

    private const uint IndexMask = (1 << 24) - 1;

    private readonly long _seed = Random.Shared.NextInt64();
    private readonly PagedList<int> _hashes = new();
    private uint[] _slots = new uint[64];
    private byte[] _text = new byte[1024];
    private int[] _ends = new int[64];

    public int Count => _hashes.Count;

    /// <summary>The ref of the entry at <paramref name="index"/>.</summary>
    public string KeyOf(int index) => Encoding.UTF8.GetString(Utf8KeyOf(index));

    /// <summary>Whether the entry at <paramref name="index"/> has the ref <paramref name="utf8"/>.</summary>
    public bool KeyEquals(int index, ReadOnlySpan<byte> utf8) => Utf8KeyOf(index).SequenceEqual(utf8);

    /// <summary>The index of the entry with this ref; -1 when there is none.</summary>
    public int Find(ReadOnlySpan<byte> utf8) => FindHashed(utf8, Hash(utf8));

    /// <summary>As <see cref="Find(ReadOnlySpan{byte})"/>, trying <paramref name="likely"/> first: one comparison, close in memory to the last, when the guess is right.</summary>
    public int Find(ReadOnlySpan<byte> utf8, int likely) =>
        (uint)likely < (uint)Count && KeyEquals(likely, utf8) ? likely : Find(utf8);

    public int Find(ReadOnlySpan<char> reference)
    {
        Span<byte> buffer = stackalloc byte[StackChars * 3];
        return Find(Encode(reference, buffer));
    }

    /// <summary>Adds the ref of the next entry, unless an entry has it already; returns that entry's index, or -1 when it was added.</summary>
    public int Add(ReadOnlySpan<byte> utf8)
    {
        var hash = Hash(utf8);
        var existing = FindHashed(utf8, hash);
        if (existing >= 0)
            return existing;

        if (Count == MaxEntries)
            throw new SbomLimitExceededException($"The document has more than {MaxEntries:N0} elements, the most Sustain keeps for one document.");
        if ((Count + 1) * 2 > _slots.Length)
            _slots = Rehash(_slots.Length * 2);
        var index = Count;
        if (index == _ends.Length)
            Array.Resize(ref _ends, index * 2);
        var start = index == 0 ? 0 : _ends[index - 1];
        if (start + utf8.Length > _text.Length)
            Array.Resize(ref _text, Math.Max(start + utf8.Length, _text.Length * 2));
        utf8.CopyTo(_text.AsSpan(start));
        _ends[index] = start + utf8.Length;
        _hashes.Add(hash);
        Insert(_slots, hash, index);
        return -1;
    }

    public int Add(ReadOnlySpan<char> reference)
    {
        Span<byte> buffer = stackalloc byte[StackChars * 3];
        return Add(Encode(reference, buffer));
    }

    /// <summary>
    /// A ref from a reader that has it as characters (XML, SPDX), as UTF-8: on the stack, narrowed as ASCII (as refs nearly
    /// always are) or else encoded, without the general encoder's overhead, which costs more than the lookup itself.
    /// </summary>
    internal static ReadOnlySpan<byte> Encode(ReadOnlySpan<char> reference, Span<byte> buffer)
    {
        if (reference.Length <= StackChars)
        {
            if (Ascii.FromUtf16(reference, buffer, out var narrowed) == OperationStatus.Done)
                return buffer[..narrowed];
            if (Utf8.FromUtf16(reference, buffer, out _, out var written) == OperationStatus.Done)
                return buffer[..written];
        }

        return Encoding.UTF8.GetBytes(reference.ToString());
    }

    private ReadOnlySpan<byte> Utf8KeyOf(int index)
    {
        var start = index == 0 ? 0 : _ends[index - 1];
        return _text.AsSpan(start, _ends[index] - start);
    }

    private int Hash(ReadOnlySpan<byte> utf8) => (int)XxHash3.HashToUInt64(utf8, _seed);

    private int FindHashed(ReadOnlySpan<byte> utf8, int hash)
    {
        var mask = _slots.Length - 1;
        var tag = Tag(hash);
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot == 0)
                return -1;
            if ((slot & ~IndexMask) == tag && Utf8KeyOf((int)(slot & IndexMask) - 1).SequenceEqual(utf8))
                return (int)(slot & IndexMask) - 1;
        }
    }

    private uint[] Rehash(int capacity)
    {
        var larger = new uint[capacity];
        for (var index = 0; index < Count; index++)
            Insert(larger, _hashes[index], index);
        return larger;
    }

    private static void Insert(uint[] slots, int hash, int index)
    {
        var mask = slots.Length - 1;
        var i = hash & mask;
        while (slots[i] != 0)
            i = (i + 1) & mask;
        slots[i] = Tag(hash) | (uint)(index + 1);
    }

    /// <summary>The top eight bits of the hash, the ones the slot's place says least about.</summary>
    private static uint Tag(int hash) => (uint)hash & ~IndexMask;
}
