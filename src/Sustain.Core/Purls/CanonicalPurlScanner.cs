using System.Buffers;

namespace Sustain.Core.Purls;

/// <summary>Where each part of a canonical package URL sits in its text, so that parts are decoded only when asked for.</summary>
/// <param name="NameStart">Where the name starts; the namespace, if any, ends just before it.</param>
/// <param name="At">The '@' before the version, or -1.</param>
/// <param name="Question">The '?' before the qualifiers, or -1.</param>
/// <param name="Hash">The '#' before the subpath, or -1.</param>
internal readonly record struct CanonicalLayout(int NamespaceStart, int NameStart, int At, int Question, int Hash, int Length)
{
    public bool HasNamespace => NameStart > NamespaceStart;

    public Range Namespace => NamespaceStart..(NameStart - 1);

    public Range Name => NameStart..FirstOf(At, Question, Hash);

    public Range Version => (At + 1)..FirstOf(Question, Hash);

    public Range Qualifiers => (Question + 1)..FirstOf(Hash);

    public Range Subpath => (Hash + 1)..Length;

    private int FirstOf(params ReadOnlySpan<int> separators)
    {
        foreach (var separator in separators)
        {
            if (separator >= 0)
                return separator;
        }

        return Length;
    }
}

/// <summary>
/// Recognises, in one pass and without allocating, a package URL that is already exactly in canonical form and valid
/// for its type: most package URLs in SBOMs are. Anything it is not sure of it leaves to <see cref="PurlParser"/>,
/// which gives the same answer for everything this accepts.
/// </summary>
internal static class CanonicalPurlScanner
{
    private const string Scheme = "pkg:";

    private static readonly SearchValues<char> Unencoded =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_~:");

    /// <summary>Searched with <see cref="SearchValues{T}"/> because <c>ContainsAnyInRange</c> allocates on every call for char here.</summary>
    private static readonly SearchValues<char> Uppercase = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    public static bool TryScan(ReadOnlySpan<char> span, out string type, out PurlTypeRules rules, out CanonicalLayout layout)
    {
        type = string.Empty;
        rules = PurlTypeRules.Core;
        layout = default;
        if (!span.StartsWith(Scheme, StringComparison.Ordinal))
            return false;

        var typeEnd = span.IndexOf('/');
        if (typeEnd < 0 || PurlTypes.Registered(span[Scheme.Length..typeEnd]) is not { } registered)
            return false;
        type = registered;
        rules = PurlTypes.For(registered);
        if (rules.Normalize is not null || rules.Validate is not null || rules.NameIsPath || rules.RequiredQualifiers.Count > 0)
            return false;

        var pathStart = typeEnd + 1;
        var pathEnd = span.IndexOfAny('?', '#');
        if (pathEnd < 0)
            pathEnd = span.Length;
        var question = pathEnd < span.Length && span[pathEnd] == '?' ? pathEnd : -1;
        var hash = span.IndexOf('#');

        var path = span[pathStart..pathEnd];
        var lastSlash = path.LastIndexOf('/');
        var at = path.IndexOf('@');
        if (at >= 0 && (at < lastSlash || path[(at + 1)..].Contains('@')))
            return false;

        var namespaceText = lastSlash < 0 ? [] : path[..lastSlash];
        var nameText = at < 0 ? path[(lastSlash + 1)..] : path[(lastSlash + 1)..at];
        var versionText = at < 0 ? [] : path[(at + 1)..];
        var namespaceSlashes = namespaceText.Count('/');
        var hasNamespace = lastSlash >= 0;
        if (hasNamespace ? rules.Namespace == PurlPartRequirement.Prohibited || namespaceSlashes >= rules.MaxNamespaceSegments : rules.Namespace == PurlPartRequirement.Required)
            return false;

        var folding = rules.Lowercase;
        if ((hasNamespace && !IsCanonicalPath(namespaceText, (folding & PurlCaseFolding.Namespace) != 0, isSubpath: false))
            || !IsCanonicalSegment(nameText, (folding & PurlCaseFolding.Name) != 0, slashAllowed: true)
            || (at >= 0 && !IsCanonicalSegment(versionText, (folding & PurlCaseFolding.Version) != 0, slashAllowed: true)))
        {
            return false;
        }

        if (question >= 0 && !AreCanonicalQualifiers(span[(question + 1)..(hash < 0 ? span.Length : hash)]))
            return false;
        if (hash >= 0 && !IsCanonicalPath(span[(hash + 1)..], lowercase: false, isSubpath: true))
            return false;

        layout = new CanonicalLayout(pathStart, pathStart + lastSlash + 1, at < 0 ? -1 : pathStart + at, question, hash, span.Length);
        return true;
    }

    /// <summary>Non-empty '/'-separated segments, none of them '.' or '..' in a subpath, none holding an encoded '/'.</summary>
    private static bool IsCanonicalPath(ReadOnlySpan<char> path, bool lowercase, bool isSubpath)
    {
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (!IsCanonicalSegment(segment, lowercase, slashAllowed: false) || (isSubpath && segment is "." or ".."))
                return false;
        }

        return true;
    }

    /// <summary>
    /// Non-empty and written exactly as <see cref="PurlEncoding"/> writes it: unencoded characters as they are, and
    /// '%XX' in upper-case hex only for the ASCII characters that need it. Encoded non-ASCII is left to the full parser.
    /// </summary>
    private static bool IsCanonicalSegment(ReadOnlySpan<char> segment, bool lowercase, bool slashAllowed)
    {
        if (segment.IsEmpty || (lowercase && segment.ContainsAny(Uppercase)))
            return false;
        for (var i = segment.IndexOfAnyExcept(Unencoded); i >= 0; i = NextEncoded(segment, i + 3))
        {
            if (segment[i] != '%' || i + 2 >= segment.Length || !IsUpperHex(segment[i + 1]) || !IsUpperHex(segment[i + 2]))
                return false;
            var decoded = (char)((HexValue(segment[i + 1]) << 4) | HexValue(segment[i + 2]));
            if (decoded >= 0x80 || Unencoded.Contains(decoded) || (decoded == '/' && !slashAllowed))
                return false;
        }

        return true;
    }

    private static int NextEncoded(ReadOnlySpan<char> segment, int from)
    {
        var next = segment[from..].IndexOfAnyExcept(Unencoded);
        return next < 0 ? -1 : from + next;
    }

    /// <summary>Valid keys in strictly ascending order, each with a non-empty canonical value; checksums in lower case.</summary>
    private static bool AreCanonicalQualifiers(ReadOnlySpan<char> text)
    {
        var previousKey = ReadOnlySpan<char>.Empty;
        foreach (var range in text.Split('&'))
        {
            var pair = text[range];
            var equals = pair.IndexOf('=');
            if (equals < 0)
                return false;
            var key = pair[..equals];
            var value = pair[(equals + 1)..];
            if (!PurlParser.IsValidQualifierKey(key) || (!previousKey.IsEmpty && key.SequenceCompareTo(previousKey) <= 0))
                return false;
            if (!IsCanonicalSegment(value, lowercase: key is "checksum", slashAllowed: true))
                return false;
            previousKey = key;
        }

        return true;
    }

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';

    private static int HexValue(char c) => c <= '9' ? c - '0' : c - 'A' + 10;
}
