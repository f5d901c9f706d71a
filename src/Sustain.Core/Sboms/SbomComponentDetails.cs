using System.Text;

namespace Sustain.Core.Sboms;

/// <summary>
/// The hashes and external references of every component of one document, packed: their text in a few large
/// UTF-8 arrays and each entry as a kind and a place. A model of fifty thousand components then holds a
/// handful of objects for them rather than a quarter of a million, so the garbage collector has next to nothing
/// of them to trace or copy while the document is read. <see cref="SbomComponent.Hashes"/> and
/// <see cref="SbomComponent.ExternalReferences"/> are built from here when they are asked for. Per document;
/// written only while the document is read.
/// </summary>
internal sealed class SbomComponentDetails
{
    /// <summary>128 KiB: chunks this size live on the large object heap, where they are never copied.</summary>
    private const int MaxChunkBytes = 128 * 1024;

    private const int FirstChunkBytes = 2048;

    private readonly List<byte[]> _chunks = [];
    private byte[] _current = [];
    private int _currentChunk;
    private int _used;
    private Entry[] _hashes = [];
    private Entry[] _references = [];

    public int HashCount { get; private set; }

    public int ReferenceCount { get; private set; }

    public void AddHash(string algorithm, ReadOnlySpan<char> content) => AddHash(algorithm, Store(content));

    /// <summary>A hash whose content is already kept here, as a JSON reader keeps it with <see cref="AddText(ReadOnlySpan{byte})"/>.</summary>
    public void AddHash(string algorithm, PackedText content) => Add(ref _hashes, HashCount++, algorithm, content);

    public void AddReference(string type, ReadOnlySpan<char> url) => AddReference(type, Store(url));

    public void AddReference(string type, PackedText url) => Add(ref _references, ReferenceCount++, type, url);

    /// <summary>Keeps text a component needs (its name, package URL) beside its hashes, so it costs no string until it is asked for.</summary>
    public PackedText AddText(ReadOnlySpan<char> text) => text.IsEmpty ? PackedText.Empty : Store(text);

    /// <summary>As <see cref="AddText(ReadOnlySpan{char})"/>, with text that is UTF-8 already: copied, never decoded.</summary>
    public PackedText AddText(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? PackedText.Empty : Store(utf8);

    /// <summary>The text as it is kept: UTF-8, half the size of .NET's UTF-16 for the ASCII that SBOMs are nearly all made of.</summary>
    public ReadOnlySpan<byte> Utf8(PackedText text) => text.Length <= 0 ? [] : _chunks[text.Chunk].AsSpan(text.Start, text.Length);

    public string? Text(PackedText text) => text.Length < 0 ? null : text.Length == 0 ? string.Empty : Encoding.UTF8.GetString(Utf8(text));

    public SbomHash[] Hashes(int start, int count)
    {
        var hashes = new SbomHash[count];
        for (var i = 0; i < count; i++)
        {
            var entry = _hashes[start + i];
            hashes[i] = new SbomHash(entry.Kind, Text(entry.Text)!);
        }

        return hashes;
    }

    public ExternalReference[] References(int start, int count)
    {
        var references = new ExternalReference[count];
        for (var i = 0; i < count; i++)
        {
            var entry = _references[start + i];
            references[i] = new ExternalReference(entry.Kind, Text(entry.Text)!);
        }

        return references;
    }

    private static void Add(ref Entry[] entries, int index, string kind, PackedText text)
    {
        if (index == entries.Length)
            Array.Resize(ref entries, Math.Max(64, index * 2));
        entries[index] = new Entry(kind, text);
    }

    private PackedText Store(ReadOnlySpan<char> text)
    {
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (most > MaxChunkBytes / 4)
        {
            var own = new byte[Encoding.UTF8.GetByteCount(text)];
            Encoding.UTF8.GetBytes(text, own);
            return Own(own);
        }

        return Commit(Encoding.UTF8.GetBytes(text, Reserve(most)));
    }

    private PackedText Store(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxChunkBytes / 4)
            return Own(utf8.ToArray());
        utf8.CopyTo(Reserve(utf8.Length));
        return Commit(utf8.Length);
    }

    /// <summary>A long text gets an array of its own, so that it neither wastes the rest of a chunk nor makes chunks grow.</summary>
    private PackedText Own(byte[] utf8)
    {
        _chunks.Add(utf8);
        return new PackedText(_chunks.Count - 1, 0, utf8.Length);
    }

    /// <summary>Room for up to <paramref name="bytes"/> bytes (a quarter of a chunk at most) at the end of the current chunk, or of a new one.</summary>
    private Span<byte> Reserve(int bytes)
    {
        if (_used + bytes > _current.Length)
        {
            // Only what has been written is ever read, so the chunk need not be cleared first.
            _current = GC.AllocateUninitializedArray<byte>(Math.Min(MaxChunkBytes, Math.Max(FirstChunkBytes, _current.Length * 2)));
            _currentChunk = _chunks.Count;
            _chunks.Add(_current);
            _used = 0;
        }

        return _current.AsSpan(_used, bytes);
    }

    /// <summary>Keeps the <paramref name="written"/> bytes just put where <see cref="Reserve"/> made room.</summary>
    private PackedText Commit(int written)
    {
        var text = new PackedText(_currentChunk, _used, written);
        _used += written;
        return text;
    }

    private readonly record struct Entry(string Kind, PackedText Text);
}

/// <summary>Where a piece of text sits in <see cref="SbomComponentDetails"/>; <see cref="None"/> stands for no text at all.</summary>
internal readonly record struct PackedText(int Chunk, int Start, int Length)
{
    public static readonly PackedText None = new(0, 0, -1);

    public static readonly PackedText Empty = new(0, 0, 0);

    public bool IsNone => Length < 0;
}
