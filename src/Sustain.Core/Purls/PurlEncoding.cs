using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Sustain.Core.Purls;

/// <summary>
/// Percent-encoding as the package URL specification defines it: ASCII letters and digits, <c>.-_~</c> and the
/// colon stay as they are; every other character is UTF-8 encoded and written as <c>%XX</c> triplets.
/// </summary>
internal static class PurlEncoding
{
    private static readonly SearchValues<char> Unencoded =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_~:");

    private const int StackLimit = 256;

    /// <summary>Appends <paramref name="value"/> percent-encoded.</summary>
    public static void Append(StringBuilder builder, string value)
    {
        var span = value.AsSpan();
        var first = span.IndexOfAnyExcept(Unencoded);
        if (first < 0)
        {
            builder.Append(value);
            return;
        }

        builder.Append(span[..first]);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = first; i < span.Length;)
        {
            var c = span[i];
            if (Unencoded.Contains(c))
            {
                builder.Append(c);
                i++;
                continue;
            }

            if (Rune.DecodeFromUtf16(span[i..], out var rune, out var consumed) != OperationStatus.Done)
                rune = Rune.ReplacementChar;
            var length = rune.EncodeToUtf8(utf8);
            for (var b = 0; b < length; b++)
                AppendTriplet(builder, utf8[b]);
            i += consumed;
        }
    }

    /// <summary>Appends a path whose '/' separators stay as they are and whose segments are percent-encoded.</summary>
    public static void AppendPath(StringBuilder builder, string path)
    {
        var start = 0;
        while (true)
        {
            var slash = path.IndexOf('/', start);
            var segment = slash < 0 ? path[start..] : path[start..slash];
            Append(builder, segment);
            if (slash < 0)
                return;
            builder.Append('/');
            start = slash + 1;
        }
    }

    /// <summary>Percent-decodes <paramref name="text"/>; fails on a malformed triplet or on bytes that are not UTF-8.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, [NotNullWhen(true)] out string? value)
    {
        if (!text.Contains('%'))
        {
            value = text.ToString();
            return true;
        }

        var maxBytes = text.Length * 3;
        byte[]? rentedBytes = null;
        var bytes = maxBytes <= StackLimit ? stackalloc byte[StackLimit] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var count = 0;
            for (var i = 0; i < text.Length;)
            {
                var c = text[i];
                if (c == '%')
                {
                    if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                    {
                        value = null;
                        return false;
                    }

                    bytes[count++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                    i += 3;
                }
                else if (char.IsAscii(c))
                {
                    bytes[count++] = (byte)c;
                    i++;
                }
                else
                {
                    if (Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed) != OperationStatus.Done)
                    {
                        value = null;
                        return false;
                    }

                    count += rune.EncodeToUtf8(bytes[count..]);
                    i += consumed;
                }
            }

            return TryDecodeUtf8(bytes[..count], out value);
        }
        finally
        {
            if (rentedBytes is not null)
                ArrayPool<byte>.Shared.Return(rentedBytes);
        }
    }

    /// <summary>True when <paramref name="text"/> holds no unpaired surrogate, so it has a UTF-8 form to encode.</summary>
    public static bool IsWellFormed(string text)
    {
        var span = text.AsSpan();
        if (span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
            return true;
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out _, out var consumed) != OperationStatus.Done)
                return false;
            span = span[consumed..];
        }

        return true;
    }

    private static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out string? value)
    {
        char[]? rentedChars = null;
        var chars = bytes.Length <= StackLimit ? stackalloc char[StackLimit] : (rentedChars = ArrayPool<char>.Shared.Rent(bytes.Length));
        try
        {
            if (Utf8.ToUtf16(bytes, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                value = null;
                return false;
            }

            value = new string(chars[..written]);
            return true;
        }
        finally
        {
            if (rentedChars is not null)
                ArrayPool<char>.Shared.Return(rentedChars);
        }
    }

    private static void AppendTriplet(StringBuilder builder, byte value)
    {
        const string Hex = "0123456789ABCDEF";
        builder.Append('%').Append(Hex[value >> 4]).Append(Hex[value & 0xF]);
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
