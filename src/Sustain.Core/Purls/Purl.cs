using System.Diagnostics.CodeAnalysis;

namespace Sustain.Core.Purls;

/// <summary>A package URL (https://github.com/package-url/purl-spec): parsed, validated and normalised.</summary>
public sealed class Purl : IEquatable<Purl>
{
    private Purl(string type, string? @namespace, string name, string? version, IReadOnlyDictionary<string, string>? qualifiers, string? subpath)
    {
        Type = type;
        Namespace = @namespace;
        Name = name;
        Version = version;
        Qualifiers = qualifiers;
        Subpath = subpath;
    }

    public string Type { get; }

    public string? Namespace { get; }

    public string Name { get; }

    public string? Version { get; }

    /// <summary>Qualifiers sorted by key; null when there are none.</summary>
    public IReadOnlyDictionary<string, string>? Qualifiers { get; }

    public string? Subpath { get; }

    /// <summary>The package: this purl without version, qualifiers or subpath, canonical.</summary>
    public string PackageKey => $"pkg:{Type}/{Name}";

    public static Purl Parse(string text) =>
        TryParse(text, out var purl, out var error) ? purl : throw new FormatException(error);

    public static bool TryParse(string text, [NotNullWhen(true)] out Purl? purl, [NotNullWhen(false)] out string? error)
    {
        purl = null;
        error = "not implemented";
        return text is null;
    }

    /// <summary>As <see cref="TryParse(string, out Purl?, out string?)"/>, but maps known non-standard types seen in the wild (pkg:dotnet → pkg:nuget), saying so in <paramref name="warning"/>.</summary>
    public static bool TryParseLenient(string text, [NotNullWhen(true)] out Purl? purl, [NotNullWhen(false)] out string? error, out string? warning)
    {
        warning = null;
        return TryParse(text, out purl, out error);
    }

    public bool Equals(Purl? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Purl other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    public override string ToString() => $"pkg:{Type}/{Name}";
}
