using System.Text;

namespace Sustain.Core.Sboms;

/// <summary>
/// Text kept as UTF-8, half the size of .NET's UTF-16 for the ASCII that SBOMs are nearly all made of, one piece after
/// another in chunks that grow to 128 KiB and then stay that size: adding never copies what is there, and a chunk that
/// size lives on the large object heap, where it is never moved. Each piece is a <see cref="PackedText"/>; it becomes a
/// string only when it is asked for. Per document; written only while the document is read.
/// </summary>
internal sealed class Utf8TextStore
{
    /// <summary>128 KiB: chunks this size live on the large object heap, where they are never copied.</summary>
    private const int MaxChunkBytes = 1 << PackedText.StartBits;

    /// <summary>What <see cref="PackedText"/> has room to number: 16,384 chunks, 2 GiB of text, eight times the largest document read by default.</summary>
    private const int MaxChunks = 1 << (31 - PackedText.StartBits);

    private const int FirstChunkBytes = 2048;

    private readonly List<byte[]> _chunks = [];
    private byte[] _current = [];
    private int _currentChunk;
    private int _used;

    public ReadOnlySpan<byte> Utf8(PackedText text) => text.Length <= 0 ? [] : _chunks[text.Chunk].AsSpan(text.Start, text.Length);

    public string? Text(PackedText text) => text.Length < 0 ? null : text.Length == 0 ? string.Empty : Encoding.UTF8.GetString(Utf8(text));

    public PackedText Add(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            return PackedText.Empty;
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (most > MaxChunkBytes / 4)
        {
            var own = new byte[Encoding.UTF8.GetByteCount(text)];
            Encoding.UTF8.GetBytes(text, own);
            return Own(own);
        }

        return Commit(Encoding.UTF8.GetBytes(text, Reserve(most)));
    }

    /// <summary>Keeps text that is UTF-8 already: copied, never decoded.</summary>
    public PackedText Add(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
            return PackedText.Empty;
        if (utf8.Length > MaxChunkBytes / 4)
            return Own(utf8.ToArray());
        utf8.CopyTo(Reserve(utf8.Length));
        return Commit(utf8.Length);
    }

    /// <summary>A long text gets an array of its own, so that it neither wastes the rest of a chunk nor makes chunks grow.</summary>
    private PackedText Own(byte[] utf8)
    {
        AddChunk(utf8);
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
            AddChunk(_current);
            _used = 0;
        }

        return _current.AsSpan(_used, bytes);
    }

    private void AddChunk(byte[] chunk)
    {
        if (_chunks.Count == MaxChunks)
            throw new SbomLimitExceededException("The document holds more text than Sustain keeps for one document.");
        _chunks.Add(chunk);
    }

    /// <summary>Keeps the <paramref name="written"/> bytes just put where <see cref="Reserve"/> made room.</summary>
    private PackedText Commit(int written)
    {
        var text = new PackedText(_currentChunk, _used, written);
        _used += written;
        return text;
    }
}

/// <summary>Where a piece of text sits in a <see cref="Utf8TextStore"/>; <see cref="None"/> stands for no text at all.</summary>
/// <remarks>
/// Eight bytes: the chunk and the place in it share one number (a chunk holds at most 128 KiB, see
/// <see cref="Utf8TextStore"/>), which keeps a component's record, with four of these, at 64 bytes.
/// </remarks>
internal readonly record struct PackedText
{
    public const int StartBits = 17;

    public static readonly PackedText None = new(0, 0, -1);

    public static readonly PackedText Empty = new(0, 0, 0);

    private readonly int _place;

    public PackedText(int chunk, int start, int length)
    {
        _place = (chunk << StartBits) | start;
        Length = length;
    }

    public int Chunk => _place >>> StartBits;

    public int Start => _place & ((1 << StartBits) - 1);

    public int Length { get; }

    public bool IsNone => Length < 0;
}
