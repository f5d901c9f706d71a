using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Sustain.Core.Purls;

/// <summary>A package URL (https://github.com/package-url/purl-spec): parsed, validated and normalised.</summary>
/// <remarks>Two package URLs are equal when their canonical forms (<see cref="ToString"/>) are.</remarks>
public sealed class Purl : IEquatable<Purl>
{
    private readonly PurlTypeRules _rules;

    /// <summary>The text this was read from, reused as the canonical form when it already is canonical.</summary>
    private readonly string? _source;

    /// <summary>Where the parts sit in <see cref="_source"/> when it was read already canonical; the parts are then decoded on first use.</summary>
    private readonly CanonicalLayout _layout;

    [ThreadStatic]
    private static StringBuilder? t_builder;

    private PurlQualifiers? _qualifiers;
    private string? _namespace;
    private string? _name;
    private string? _version;
    private string? _subpath;
    private string? _canonical;
    private string? _packageKey;

    private Purl(PurlParts parts, PurlTypeRules rules, string? source = null, string? canonical = null)
    {
        Type = parts.Type;
        _namespace = parts.Namespace;
        _name = parts.Name;
        _version = parts.Version;
        _qualifiers = parts.Qualifiers;
        _subpath = parts.Subpath;
        _rules = rules;
        _source = source;
        _canonical = canonical;
    }

    private Purl(string canonical, string type, PurlTypeRules rules, CanonicalLayout layout)
    {
        Type = type;
        _rules = rules;
        _source = canonical;
        _canonical = canonical;
        _layout = layout;
    }

    public string Type { get; }

    public string? Namespace => _namespace ?? (IsLazy && _layout.HasNamespace ? _namespace = Decode(_layout.Namespace) : null);

    public string Name => _name ??= Decode(_layout.Name);

    public string? Version => _version ?? (IsLazy && _layout.At >= 0 ? _version = Decode(_layout.Version) : null);

    /// <summary>Qualifiers sorted by key; null when there are none.</summary>
    public IReadOnlyDictionary<string, string>? Qualifiers => QualifierTable;

    public string? Subpath => _subpath ?? (IsLazy && _layout.Hash >= 0 ? _subpath = Decode(_layout.Subpath) : null);

    private bool IsLazy => _layout.Length > 0;

    private PurlQualifiers? QualifierTable =>
        _qualifiers ?? (IsLazy && _layout.Question >= 0 ? _qualifiers = PurlParser.ReadCanonicalQualifiers(_source.AsSpan()[_layout.Qualifiers]) : null);

    /// <summary>The canonical form of the package's identity, <see cref="WithoutVersion"/>: what all its versions share.</summary>
    public string PackageKey
    {
        get
        {
            if (_packageKey is null)
            {
                // In the canonical form '@', '?' and '#' are separators only: inside a namespace or name they are encoded.
                var canonical = ToString();
                var end = canonical.AsSpan().IndexOfAny('@', '?', '#');
                _packageKey = end < 0 ? canonical : canonical[..end];
            }

            return _packageKey;
        }
    }

    /// <exception cref="PurlException"><paramref name="text"/> is not a valid package URL.</exception>
    public static Purl Parse(string text) =>
        TryParse(text, out var purl, out var error) ? purl : throw new PurlException(error);

    public static bool TryParse(string text, [NotNullWhen(true)] out Purl? purl, [NotNullWhen(false)] out string? error)
    {
        if (TryReadCanonical(text, out purl))
        {
            error = null;
            return true;
        }

        return PurlParser.TryParse(text, lenient: false, out var parts, out error, out _) && TryFinish(parts, text, out purl, out error);
    }

    /// <summary>
    /// As <see cref="TryParse(string, out Purl?, out string?)"/>, but also reads what tools are known to write although the
    /// specification does not allow it: non-standard types (pkg:dotnet → pkg:nuget), an upper-case scheme, upper-case qualifier
    /// keys and qualifiers without a value, saying what it tolerated in <paramref name="warning"/>.
    /// </summary>
    public static bool TryParseLenient(string text, [NotNullWhen(true)] out Purl? purl, [NotNullWhen(false)] out string? error, out string? warning)
    {
        if (TryReadCanonical(text, out purl))
        {
            error = null;
            warning = null;
            return true;
        }

        return PurlParser.TryParse(text, lenient: true, out var parts, out error, out warning) && TryFinish(parts, text, out purl, out error);
    }

    /// <summary>Builds a package URL from decoded parts, normalising them as the specification and the type require.</summary>
    /// <exception cref="PurlException">A part is missing or not allowed.</exception>
    public static Purl Create(string type, string? @namespace, string name, string? version, IReadOnlyDictionary<string, string>? qualifiers, string? subpath) =>
        TryCreate(type, @namespace, name, version, qualifiers, subpath, out var purl, out var error) ? purl : throw new PurlException(error);

    public static bool TryCreate(
        string? type,
        string? @namespace,
        string? name,
        string? version,
        IReadOnlyDictionary<string, string>? qualifiers,
        string? subpath,
        [NotNullWhen(true)] out Purl? purl,
        [NotNullWhen(false)] out string? error)
    {
        purl = null;
        foreach (var part in (ReadOnlySpan<string?>)[type, @namespace, name, version, subpath])
        {
            if (part is not null && !PurlEncoding.IsWellFormed(part))
                return Fail("a package URL part holds an unpaired surrogate, which has no UTF-8 form", out error);
        }

        if (!PurlParser.TryReadType(type, out var normalType, out error))
            return false;

        // Leading and trailing slashes are not part of a name.
        var normalName = name?.Trim('/');
        if (string.IsNullOrEmpty(normalName))
            return Fail("a package URL requires a name", out error);

        if (!TryCreateQualifiers(qualifiers, out var normalQualifiers, out error))
            return false;

        var parts = new PurlParts(
            normalType,
            PurlParser.JoinSegments(@namespace, isSubpath: false),
            normalName,
            string.IsNullOrEmpty(version) ? null : version,
            normalQualifiers,
            PurlParser.JoinSegments(subpath, isSubpath: true));
        return TryFinish(parts, source: null, out purl, out error);
    }

    /// <summary>The package's identity: same type, namespace and name, without version, qualifiers or subpath.</summary>
    public Purl WithoutVersion() =>
        Version is null && QualifierTable is null && Subpath is null
            ? this
            : new Purl(new PurlParts(Type, Namespace, Name, null, null, null), _rules, canonical: PackageKey);

    public bool Equals(Purl? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Purl other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>The canonical form: lower-case type, type-specific case folding, minimal percent-encoding, sorted qualifiers.</summary>
    public override string ToString() => _canonical ??= Format();

    /// <summary>Whether <paramref name="text"/> is a valid package URL already in canonical form, found without allocating; false says only that it may need the full parser.</summary>
    internal static bool IsValidCanonical(ReadOnlySpan<char> text) => CanonicalPurlScanner.TryScan(text, out _, out _, out _);

    private static bool TryReadCanonical(string text, [NotNullWhen(true)] out Purl? purl)
    {
        purl = text is not null && CanonicalPurlScanner.TryScan(text, out var type, out var rules, out var layout)
            ? new Purl(text, type, rules, layout)
            : null;
        return purl is not null;
    }

    /// <summary>Decodes a part of text that <see cref="CanonicalPurlScanner"/> has found to be canonical, so validly encoded.</summary>
    private string Decode(Range part) =>
        PurlEncoding.TryDecode(_source.AsSpan()[part], out var decoded) ? decoded : throw new InvalidOperationException("A canonical package URL part failed to decode.");

    private static bool TryFinish(PurlParts parts, string? source, [NotNullWhen(true)] out Purl? purl, [NotNullWhen(false)] out string? error)
    {
        var rules = PurlTypes.For(parts.Type);
        if (!rules.TryApply(ref parts, out error))
        {
            purl = null;
            return false;
        }

        purl = new Purl(parts, rules, source);
        return true;
    }

    private static bool TryCreateQualifiers(IReadOnlyDictionary<string, string>? qualifiers, out PurlQualifiers? created, [NotNullWhen(false)] out string? error)
    {
        created = null;
        error = null;
        if (qualifiers is null || qualifiers.Count == 0)
            return true;

        var pairs = new List<KeyValuePair<string, string>>(qualifiers.Count);
        foreach (var (key, value) in qualifiers)
        {
            if (!PurlParser.IsValidQualifierKey(key))
                return Fail($"a qualifier key is lower-case ASCII letters, digits, '.', '-' and '_', starting with a letter, not '{key}'", out error);
            if (value is null || !PurlEncoding.IsWellFormed(value))
                return Fail($"the value of qualifier '{key}' holds an unpaired surrogate, which has no UTF-8 form", out error);
            if (value.Length > 0)
                pairs.Add(new(key, PurlParser.NormalizeQualifierValue(key, value)));
        }

        return PurlQualifiers.TryCreate([.. pairs], out created, out var duplicate)
            || Fail($"qualifier '{duplicate}' appears more than once", out error);
    }

    private string Format()
    {
        var builder = t_builder ?? new StringBuilder(256);
        t_builder = null;
        builder.Append("pkg:").Append(Type).Append('/');
        if (Namespace is not null)
        {
            PurlEncoding.AppendPath(builder, Namespace);
            builder.Append('/');
        }

        if (_rules.NameIsPath)
            PurlEncoding.AppendPath(builder, Name);
        else
            PurlEncoding.Append(builder, Name);

        if (Version is not null)
        {
            builder.Append('@');
            PurlEncoding.Append(builder, Version);
        }

        if (QualifierTable is { } qualifiers)
        {
            var separator = '?';
            foreach (var (key, value) in qualifiers)
            {
                builder.Append(separator).Append(key).Append('=');
                PurlEncoding.Append(builder, value);
                separator = '&';
            }
        }

        if (Subpath is not null)
        {
            builder.Append('#');
            PurlEncoding.AppendPath(builder, Subpath);
        }

        // Most package URLs in SBOMs are already canonical: keep the one string rather than an equal copy.
        var canonical = _source is not null && builder.Equals(_source.AsSpan()) ? _source : builder.ToString();
        if (builder.Capacity <= 1024)
        {
            builder.Clear();
            t_builder = builder;
        }

        return canonical;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
