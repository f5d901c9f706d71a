using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Sustain.Core.Sboms;

/// <summary>
/// The parts of the CycloneDX schemas (1.0 to 1.7) that a streaming reader can check as it goes:
/// enumerations, with the minor version that introduced each value, and value patterns. Both
/// readers use it, so JSON and XML refuse the same documents for the same reasons.
/// </summary>
internal static partial class CycloneDxSchema
{
    public const int OldestMinor = 0;
    public const int NewestMinor = 7;

    /// <summary>Versions are compared as their minor number: 1.4 is 4.</summary>
    public static string VersionText(int minor) => "1." + minor.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseVersion(string text, out int minor)
    {
        minor = -1;
        if (text.Length != 3 || text[0] != '1' || text[1] != '.' || text[2] is < '0' or > '9')
            return false;
        minor = text[2] - '0';
        return minor is >= OldestMinor and <= NewestMinor;
    }

    public static readonly KnownValue[] ComponentTypes =
    [
        new("library", 0),
        new("application", 0),
        new("framework", 0),
        new("operating-system", 0),
        new("device", 0),
        new("file", 0),
        new("container", 2),
        new("firmware", 2),
        new("platform", 5),
        new("device-driver", 5),
        new("machine-learning-model", 5),
        new("data", 5),
        new("cryptographic-asset", 6),
    ];

    /// <summary>Hash algorithms, with the hex length of their digest in <see cref="KnownValue.Length"/>; 0 for BLAKE3, whose length varies.</summary>
    public static readonly KnownValue[] HashAlgorithms =
    [
        new("SHA-256", 0, 64),
        new("SHA-1", 0, 40),
        new("SHA-512", 0, 128),
        new("MD5", 0, 32),
        new("SHA-384", 0, 96),
        new("SHA3-256", 0, 64),
        new("SHA3-384", 0, 96),
        new("SHA3-512", 0, 128),
        new("BLAKE2b-256", 0, 64),
        new("BLAKE2b-384", 0, 96),
        new("BLAKE2b-512", 0, 128),
        new("BLAKE3", 0, 0),
    ];

    /// <summary>The external reference types seen most, so their strings are shared rather than allocated per component; others are kept as written.</summary>
    public static readonly KnownValue[] CommonReferenceTypes =
    [
        new(ExternalReference.Vcs, 0),
        new(ExternalReference.Website, 0),
        new(ExternalReference.Distribution, 0),
        new("issue-tracker", 0),
        new("mailing-list", 0),
        new("build-system", 0),
        new("documentation", 0),
        new("license", 0),
        new("support", 0),
        new("social", 0),
        new("chat", 0),
        new("advisories", 0),
        new("release-notes", 0),
        new("other", 0),
    ];

    public static readonly KnownValue[] Scopes = Values("required", "optional", "excluded");

    public static readonly KnownValue[] PatchTypes = Values("unofficial", "monkey", "backport", "cherry-pick");

    public static readonly KnownValue[] IssueTypes = Values("defect", "enhancement", "security");

    public static readonly KnownValue[] DataFlows = Values("inbound", "outbound", "bi-directional", "unknown");

    public static readonly KnownValue[] AttachmentEncodings = Values("base64");

    public static KnownValue? Find(KnownValue[] values, string text)
    {
        foreach (var value in values)
        {
            if (string.Equals(value.Text, text, StringComparison.Ordinal))
                return value;
        }

        return null;
    }

    public static string List(KnownValue[] values) => string.Join(", ", values.Select(v => v.Text));

    public static string TypesUpTo(int minor) => string.Join(", ", ComponentTypes.Where(t => t.Since <= minor).Select(t => t.Text));

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly System.Buffers.SearchValues<byte> HexDigitBytes = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF"u8);

    /// <summary>An algorithm's length in hexadecimal digits, or for an algorithm of several lengths (BLAKE3), one of those.</summary>
    private static bool IsHashLength(KnownValue algorithm, int length) =>
        algorithm.Length == 0 ? length is 32 or 40 or 64 or 96 or 128 : length == algorithm.Length;

    /// <summary>As the other overload, for content as a JSON reader keeps it; the text is decoded only for a message.</summary>
    public static string? HashContentProblem(KnownValue algorithm, ReadOnlySpan<byte> utf8Content) =>
        IsHashLength(algorithm, utf8Content.Length) && !utf8Content.ContainsAnyExcept(HexDigitBytes) ? null : HashContentProblem(algorithm, Encoding.UTF8.GetString(utf8Content));

    /// <summary>Null when the hash content suits the algorithm; otherwise what is wrong with it.</summary>
    public static string? HashContentProblem(KnownValue algorithm, ReadOnlySpan<char> content)
    {
        if (!IsHashLength(algorithm, content.Length))
        {
            var expected = algorithm.Length == 0 ? "32, 40, 64, 96 or 128" : algorithm.Length.ToString(CultureInfo.InvariantCulture);
            return $"{algorithm.Text} hashes are {expected} hexadecimal digits, not '{Shorten(content)}'";
        }

        return content.ContainsAnyExcept(HexDigits) ? $"hash content '{Shorten(content)}' is not hexadecimal" : null;
    }

    public static bool IsSerialNumber(string text) => SerialNumberPattern().IsMatch(text);

    /// <summary>An ISO 8601 date and time, as JSON Schema's date-time and XML Schema's dateTime both require; a bare date is not one.</summary>
    public static bool IsTimestamp(string text) =>
        TimestampPattern().IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    public static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    public static string Shorten(ReadOnlySpan<char> text) => text.Length <= 80 ? text.ToString() : string.Concat(text[..77], "...");

    private static KnownValue[] Values(params string[] texts) => [.. texts.Select(t => new KnownValue(t, 0))];

    [GeneratedRegex("^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex SerialNumberPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();
}

/// <summary>One value of a CycloneDX enumeration: its text, its UTF-8 bytes for allocation-free comparison, the minor version that introduced it, and a length where one applies.</summary>
internal sealed class KnownValue(string text, int since, int length = 0)
{
    public string Text { get; } = text;

    public byte[] Utf8 { get; } = Encoding.UTF8.GetBytes(text);

    public int Since { get; } = since;

    public int Length { get; } = length;
}
