namespace Sustain.Core.Sboms;

/// <summary>
/// The hashes and external references of every component of one document, packed: their text in a few large
/// character arrays and each entry as a kind and a place. A model of fifty thousand components then holds a
/// handful of objects for them rather than a quarter of a million, so the garbage collector has next to nothing
/// of them to trace or copy while the document is read. <see cref="SbomComponent.Hashes"/> and
/// <see cref="SbomComponent.ExternalReferences"/> are built from here when they are asked for. Per document;
/// written only while the document is read.
/// </summary>
internal sealed class SbomComponentDetails
{
    /// <summary>128 KiB: chunks this size live on the large object heap, where they are never copied.</summary>
    private const int MaxChunkChars = 64 * 1024;

    private const int FirstChunkChars = 1024;

    private readonly List<char[]> _chunks = [];
    private char[] _current = [];
    private int _used;
    private Entry[] _hashes = [];
    private Entry[] _references = [];

    public int HashCount { get; private set; }

    public int ReferenceCount { get; private set; }

    public void AddHash(string algorithm, ReadOnlySpan<char> content)
    {
        var count = HashCount;
        Add(ref _hashes, ref count, algorithm, content);
        HashCount = count;
    }

    public void AddReference(string type, ReadOnlySpan<char> url)
    {
        var count = ReferenceCount;
        Add(ref _references, ref count, type, url);
        ReferenceCount = count;
    }

    /// <summary>Keeps text a component needs (its ref, name, package URL) beside its hashes, so it costs no string until it is asked for.</summary>
    public PackedText AddText(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            return PackedText.Empty;
        var entry = Store(string.Empty, text);
        return new PackedText(entry.Chunk, entry.Start, entry.Length);
    }

    public ReadOnlySpan<char> Span(PackedText text) => text.Length <= 0 ? [] : _chunks[text.Chunk].AsSpan(text.Start, text.Length);

    public string? Text(PackedText text) => text.Length < 0 ? null : text.Length == 0 ? string.Empty : new string(Span(text));

    public SbomHash[] Hashes(int start, int count)
    {
        var hashes = new SbomHash[count];
        for (var i = 0; i < count; i++)
        {
            var entry = _hashes[start + i];
            hashes[i] = new SbomHash(entry.Kind, Text(entry));
        }

        return hashes;
    }

    public ExternalReference[] References(int start, int count)
    {
        var references = new ExternalReference[count];
        for (var i = 0; i < count; i++)
        {
            var entry = _references[start + i];
            references[i] = new ExternalReference(entry.Kind, Text(entry));
        }

        return references;
    }

    private void Add(ref Entry[] entries, ref int count, string kind, ReadOnlySpan<char> text)
    {
        if (count == entries.Length)
            Array.Resize(ref entries, Math.Max(64, count * 2));
        entries[count++] = Store(kind, text);
    }

    private Entry Store(string kind, ReadOnlySpan<char> text)
    {
        if (text.Length > MaxChunkChars / 4)
        {
            _chunks.Add(text.ToArray());
            return new Entry(kind, _chunks.Count - 1, 0, text.Length);
        }

        if (_used + text.Length > _current.Length)
        {
            // Only what has been written is ever read, so the chunk need not be cleared first.
            _current = GC.AllocateUninitializedArray<char>(Math.Max(text.Length, Math.Min(MaxChunkChars, Math.Max(FirstChunkChars, _current.Length * 2))));
            _chunks.Add(_current);
            _used = 0;
        }

        text.CopyTo(_current.AsSpan(_used));
        var entry = new Entry(kind, _chunks.Count - 1, _used, text.Length);
        _used += text.Length;
        return entry;
    }

    private string Text(Entry entry) => new(_chunks[entry.Chunk], entry.Start, entry.Length);

    private readonly record struct Entry(string Kind, int Chunk, int Start, int Length);
}

/// <summary>Where a piece of text sits in <see cref="SbomComponentDetails"/>; <see cref="None"/> stands for no text at all.</summary>
internal readonly record struct PackedText(int Chunk, int Start, int Length)
{
    public static readonly PackedText None = new(0, 0, -1);

    public static readonly PackedText Empty = new(0, 0, 0);

    public bool IsNone => Length < 0;
}
