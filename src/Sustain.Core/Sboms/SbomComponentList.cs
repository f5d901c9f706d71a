using System.Collections;
using Sustain.Core.Purls;

namespace Sustain.Core.Sboms;

/// <summary>
/// A component as a reader hands it over, but for its ref (which goes to the <see cref="RefTable"/>): its text packed in
/// the document's <see cref="SbomComponentDetails"/>, its short repeated values pooled. Kept in one large array, a document's components cost the garbage collector next to
/// nothing while it is read; each <see cref="SbomComponent"/> is made the first time it is asked for.
/// </summary>
internal struct ComponentRecord
{
    public ComponentRecord()
    {
    }

    public PackedText Name { get; set; } = PackedText.None;

    public PackedText PurlText { get; set; } = PackedText.None;

    public string? Version { get; set; }

    public string? Type { get; set; }

    public string? Supplier { get; set; }

    public IReadOnlyList<string> Licenses { get; set; } = [];

    public PackedRange Hashes { get; set; }

    public PackedRange References { get; set; }

    public bool IsMetadataComponent { get; set; }

    /// <summary>The package URL is valid and already canonical: it is parsed, cheaply, only when the component is made.</summary>
    internal bool PurlIsCanonical { get; set; }

    /// <summary>A valid package URL that was not canonical, parsed while reading.</summary>
    internal Purl? Purl { get; set; }
}

/// <summary>The components of one document, made from their <see cref="ComponentRecord"/> on first access and kept.</summary>
internal sealed class SbomComponentList(SbomComponentDetails details, RefTable refs) : IReadOnlyList<SbomComponent>
{
    private ComponentRecord[] _records = [];
    private SbomComponent?[] _made = [];
    private int _count;

    public int Count => _count;

    public SbomComponent this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return Volatile.Read(ref _made[index]) ?? Make(index);
        }
    }

    /// <summary>Adds a component; <paramref name="made"/> is the component itself when a reader built one.</summary>
    public int Add(in ComponentRecord record, SbomComponent? made)
    {
        if (_count == _records.Length)
        {
            var capacity = Math.Max(16, _count * 2);
            Array.Resize(ref _records, capacity);
            Array.Resize(ref _made, capacity);
        }

        _records[_count] = record;
        _made[_count] = made;
        return _count++;
    }

    public bool IsMetadataComponent(int index) => _records[index].IsMetadataComponent;

    public IEnumerator<SbomComponent> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
            yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Two threads may make the same component at once; both then get the one that was stored first.</summary>
    private SbomComponent Make(int index)
    {
        var component = new SbomComponent(refs.KeyOf(index).ToString(), _records[index], details);
        return Interlocked.CompareExchange(ref _made[index], component, null) ?? component;
    }
}

/// <summary>
/// The components of a document by their ref, so that neither adding nor finding one needs a string. The refs are kept
/// one after another in a buffer of their own, and the table holds only hashes and indexes: a document's edges look up
/// hundreds of thousands of refs in no useful order, and this keeps what each lookup touches small and close together.
/// Hashed with the randomised string hash, so a hostile document cannot choose refs that collide.
/// </summary>
internal sealed class RefTable
{
    private Slot[] _slots = new Slot[64];
    private char[] _text = new char[1024];
    private int[] _ends = new int[64];
    private int _count;

    /// <summary>The ref of the component at <paramref name="index"/>.</summary>
    public ReadOnlySpan<char> KeyOf(int index) => _text.AsSpan(index == 0 ? 0 : _ends[index - 1], _ends[index] - (index == 0 ? 0 : _ends[index - 1]));

    /// <summary>The index of the component with this ref; -1 when there is none.</summary>
    public int Find(ReadOnlySpan<char> reference) => Find(reference, string.GetHashCode(reference));

    /// <summary>Adds the ref of the next component, unless a component has it already; returns that component's index, or -1 when it was added.</summary>
    public int Add(ReadOnlySpan<char> reference)
    {
        var hash = string.GetHashCode(reference);
        var existing = Find(reference, hash);
        if (existing >= 0)
            return existing;

        if ((_count + 1) * 2 > _slots.Length)
            _slots = Rehash(_slots.Length * 2);
        if (_count == _ends.Length)
            Array.Resize(ref _ends, _count * 2);
        var start = _count == 0 ? 0 : _ends[_count - 1];
        if (start + reference.Length > _text.Length)
            Array.Resize(ref _text, Math.Max(start + reference.Length, _text.Length * 2));
        reference.CopyTo(_text.AsSpan(start));
        _ends[_count] = start + reference.Length;
        Insert(_slots, new Slot(hash, _count + 1));
        _count++;
        return -1;
    }

    private int Find(ReadOnlySpan<char> reference, int hash)
    {
        var mask = _slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot.Index == 0)
                return -1;
            if (slot.Hash == hash && KeyOf(slot.Index - 1).SequenceEqual(reference))
                return slot.Index - 1;
        }
    }

    private Slot[] Rehash(int capacity)
    {
        var larger = new Slot[capacity];
        foreach (var slot in _slots)
        {
            if (slot.Index != 0)
                Insert(larger, slot);
        }

        return larger;
    }

    private static void Insert(Slot[] slots, Slot slot)
    {
        var mask = slots.Length - 1;
        var i = slot.Hash & mask;
        while (slots[i].Index != 0)
            i = (i + 1) & mask;
        slots[i] = slot;
    }

    /// <summary>A ref's hash and its component's index plus one, so that a zeroed slot is empty.</summary>
    private readonly record struct Slot(int Hash, int Index);
}
