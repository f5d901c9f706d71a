namespace Sustain.Core.Sboms;

/// <summary>
/// The last short text a reader looked up, as the document's UTF-8, and what it gave. Documents name the same value many
/// times in a row (every package's licence "MIT", its checksum algorithm "SHA256", relationship after relationship of
/// type DEPENDS_ON), so comparing the bytes with the last ones spares decoding and looking them up again.
/// </summary>
/// <param name="maxBytes">Longer text is looked up every time; it rarely repeats.</param>
internal sealed class LastValue<T>(int maxBytes)
{
    private readonly byte[] _utf8 = new byte[maxBytes];
    private int _length = -1;
    private T _value = default!;

    /// <summary>What <paramref name="utf8"/> gave last time, when it is the text looked up last.</summary>
    public bool TryGet(ReadOnlySpan<byte> utf8, out T value)
    {
        value = _value;
        return _length >= 0 && utf8.SequenceEqual(_utf8.AsSpan(0, _length));
    }

    /// <summary>Remembers what <paramref name="utf8"/> gave, in place of the last; returns it.</summary>
    public T Remember(ReadOnlySpan<byte> utf8, T value)
    {
        if (utf8.Length <= _utf8.Length)
        {
            utf8.CopyTo(_utf8);
            (_length, _value) = (utf8.Length, value);
        }

        return value;
    }
}
