using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Sustain.Core.Purls;

/// <summary>
/// Splits a package URL string into decoded parts, right to left as the specification's "how to parse" describes,
/// and checks the syntax rules that every type shares. Type-specific rules are applied afterwards (<see cref="PurlTypes"/>).
/// </summary>
internal static class PurlParser
{
    private const string Scheme = "pkg:";

    /// <param name="lenient">
    /// Also accept what tools are known to write but the specification does not allow: an upper-case scheme,
    /// a non-standard type (pkg:dotnet), upper-case qualifier keys and qualifiers without '='. Each is reported in <paramref name="warning"/>.
    /// </param>
    public static bool TryParse(string text, bool lenient, out PurlParts parts, [NotNullWhen(false)] out string? error, out string? warning)
    {
        parts = default;
        warning = null;
        if (string.IsNullOrEmpty(text))
            return Fail("a package URL cannot be empty", out error);

        var rest = text.AsSpan();
        if (!rest.StartsWith(Scheme, StringComparison.Ordinal))
        {
            if (!lenient || !rest.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
                return Fail($"a package URL starts with '{Scheme}'", out error);
            Warn(ref warning, $"package URL scheme '{rest[..Scheme.Length]}' read as '{Scheme}'");
        }

        rest = rest[Scheme.Length..];

        string? subpath = null;
        var hash = rest.LastIndexOf('#');
        if (hash >= 0)
        {
            if (!TryReadPath(rest[(hash + 1)..], isSubpath: true, out subpath, out error))
                return false;
            rest = rest[..hash];
        }

        var qualifiersText = ReadOnlySpan<char>.Empty;
        var question = rest.LastIndexOf('?');
        if (question >= 0)
        {
            qualifiersText = rest[(question + 1)..];
            rest = rest[..question];
        }

        rest = rest.TrimStart('/');
        var typeEnd = rest.IndexOf('/');
        if (typeEnd < 0)
            return Fail("a package URL has a type and a name, separated by '/'", out error);
        if (!TryReadType(rest[..typeEnd], out var type, out error))
            return false;
        if (lenient && PurlTypes.TryGetStandardType(type, out var standardType))
        {
            Warn(ref warning, $"non-standard package URL type '{type}' read as '{standardType}'");
            type = standardType;
        }

        rest = rest[(typeEnd + 1)..];

        // Only an '@' in the last segment separates the version, so that an unencoded npm scope ("@babel/core") stays in the namespace.
        string? version = null;
        var lastSlash = rest.LastIndexOf('/');
        var at = rest.LastIndexOf('@');
        if (at > lastSlash)
        {
            if (!PurlEncoding.TryDecode(rest[(at + 1)..], out version))
                return Fail("the version is not validly percent-encoded", out error);
            if (version.Length == 0)
                version = null;
            rest = rest[..at];
        }

        if (!PurlEncoding.TryDecode(rest[(lastSlash + 1)..], out var name))
            return Fail("the name is not validly percent-encoded", out error);
        if (name.Length == 0)
            return Fail("a package URL requires a name", out error);

        string? @namespace = null;
        if (lastSlash > 0 && !TryReadPath(rest[..lastSlash], isSubpath: false, out @namespace, out error))
            return false;

        PurlQualifiers? qualifiers = null;
        if (!qualifiersText.IsEmpty && !TryReadQualifiers(qualifiersText, lenient, out qualifiers, out error, ref warning))
            return false;

        parts = new PurlParts(type, @namespace, name, version, qualifiers, subpath);
        error = null;
        return true;
    }

    /// <summary>A type is ASCII letters, digits, '.' and '-', starting with a letter; it is case-insensitive and read in lower case.</summary>
    public static bool TryReadType(ReadOnlySpan<char> text, [NotNullWhen(true)] out string? type, [NotNullWhen(false)] out string? error)
    {
        type = null;
        if (text.IsEmpty)
            return Fail("a package URL requires a type", out error);
        if (!char.IsAsciiLetter(text[0]))
            return Fail($"a package URL type starts with an ASCII letter, not '{text}'", out error);
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '-')
                return Fail($"a package URL type has only ASCII letters, digits, '.' and '-', not '{text}'", out error);
        }

        type = text.ContainsAnyInRange('A', 'Z') ? text.ToString().ToLowerInvariant() : PurlTypes.Registered(text) ?? text.ToString();
        error = null;
        return true;
    }

    /// <summary>A qualifier key is lower-case ASCII letters, digits, '.', '-' and '_', starting with a letter, and is never percent-encoded.</summary>
    public static bool IsValidQualifierKey(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || !char.IsAsciiLetterLower(key[0]))
            return false;
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c is not '.' and not '-' and not '_')
                return false;
        }

        return true;
    }

    /// <summary>Checksums are compared as lower-case "algorithm:hex" items; every other value is kept as given.</summary>
    public static string NormalizeQualifierValue(string key, string value) =>
        key == "checksum" ? value.ToLowerInvariant() : value;

    /// <summary>
    /// Reads '/'-separated percent-encoded segments, dropping empty ones (leading, trailing and doubled slashes are not
    /// significant) and, in a subpath, '.' and '..'. A segment that decodes to something holding '/' is an error.
    /// </summary>
    public static bool TryReadPath(ReadOnlySpan<char> text, bool isSubpath, out string? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        error = null;
        if (text.IsEmpty)
            return true;
        var plain = !text.Contains('%') && text[0] != '/' && text[^1] != '/' && !text.Contains("//", StringComparison.Ordinal);
        if (plain && (!isSubpath || !text.Contains('.')))
        {
            path = text.ToString();
            return true;
        }

        StringBuilder? joined = null;
        string? single = null;
        foreach (var range in text.Split('/'))
        {
            var raw = text[range];
            if (raw.IsEmpty)
                continue;
            if (!PurlEncoding.TryDecode(raw, out var segment))
                return Fail($"the {(isSubpath ? "subpath" : "namespace")} is not validly percent-encoded", out error);
            if (segment.Contains('/', StringComparison.Ordinal))
                return Fail($"a {(isSubpath ? "subpath" : "namespace")} segment cannot contain '/': '{segment}'", out error);
            if (isSubpath && segment is "." or "..")
                continue;

            if (single is null)
            {
                single = segment;
            }
            else
            {
                joined ??= new StringBuilder(single, text.Length);
                joined.Append('/').Append(segment);
            }
        }

        path = joined?.ToString() ?? single;
        return true;
    }

    /// <summary>Drops the empty segments of a '/'-separated part (and '.' and '..' in a subpath); null when none remain.</summary>
    public static string? JoinSegments(string? path, bool isSubpath)
    {
        if (string.IsNullOrEmpty(path))
            return null;
        var span = path.AsSpan();
        var clean = !span.StartsWith('/') && !span.EndsWith('/') && !span.Contains("//", StringComparison.Ordinal)
            && (!isSubpath || !span.Contains('.'));
        if (clean)
            return path;

        var kept = new List<string>();
        foreach (var range in span.Split('/'))
        {
            var segment = span[range];
            if (!segment.IsEmpty && !(isSubpath && segment is "." or ".."))
                kept.Add(segment.ToString());
        }

        return kept.Count == 0 ? null : string.Join('/', kept);
    }

    /// <summary>Reads the qualifiers of a package URL already found canonical, so valid.</summary>
    public static PurlQualifiers? ReadCanonicalQualifiers(ReadOnlySpan<char> text)
    {
        string? warning = null;
        return TryReadQualifiers(text, lenient: false, out var qualifiers, out var error, ref warning)
            ? qualifiers
            : throw new InvalidOperationException($"Canonical package URL qualifiers failed to read: {error}");
    }

    private static bool TryReadQualifiers(ReadOnlySpan<char> text, bool lenient, out PurlQualifiers? qualifiers, [NotNullWhen(false)] out string? error, ref string? warning)
    {
        qualifiers = null;
        var pairs = new KeyValuePair<string, string>[text.Count('&') + 1];
        var count = 0;
        foreach (var range in text.Split('&'))
        {
            var pair = text[range];
            if (pair.IsEmpty)
                continue;
            var equals = pair.IndexOf('=');
            if (equals < 0)
            {
                if (!lenient)
                    return Fail($"a qualifier is a key=value pair, not '{pair}'", out error);
                Warn(ref warning, $"qualifier '{pair}' without a value ignored");
                continue;
            }

            var keyText = pair[..equals];
            string key;
            if (IsValidQualifierKey(keyText))
            {
                key = keyText.ToString();
            }
            else if (lenient && keyText.ContainsAnyInRange('A', 'Z') && IsValidQualifierKey(key = keyText.ToString().ToLowerInvariant()))
            {
                Warn(ref warning, $"qualifier key '{keyText}' read as '{key}'");
            }
            else
            {
                return Fail($"a qualifier key is lower-case ASCII letters, digits, '.', '-' and '_', starting with a letter, not '{keyText}'", out error);
            }

            if (!PurlEncoding.TryDecode(pair[(equals + 1)..], out var value))
                return Fail($"the value of qualifier '{key}' is not validly percent-encoded", out error);
            if (value.Length > 0)
                pairs[count++] = new(key, NormalizeQualifierValue(key, value));
        }

        if (count < pairs.Length)
            Array.Resize(ref pairs, count);
        if (!PurlQualifiers.TryCreate(pairs, out qualifiers, out var duplicate))
            return Fail($"qualifier '{duplicate}' appears more than once", out error);
        error = null;
        return true;
    }

    private static void Warn(ref string? warning, string message) =>
        warning = warning is null ? message : $"{warning}; {message}";

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
