using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Sustain.Core.Purls;

/// <summary>The decoded components of a package URL, on their way to becoming a <see cref="Purl"/>.</summary>
internal readonly record struct PurlParts(string Type, string? Namespace, string Name, string? Version, PurlQualifiers? Qualifiers, string? Subpath);

internal enum PurlPartRequirement
{
    Optional,
    Required,
    Prohibited,
}

[Flags]
internal enum PurlCaseFolding
{
    None = 0,
    Namespace = 1,
    Name = 2,
    Version = 4,
    NamespaceAndName = Namespace | Name,
}

/// <summary>What one package URL type adds to the core specification: case folding, required or prohibited parts, checks.</summary>
internal sealed class PurlTypeRules
{
    /// <summary>The rules of a type the table does not know: the core specification alone.</summary>
    public static readonly PurlTypeRules Core = new();

    public PurlPartRequirement Namespace { get; init; }

    public PurlCaseFolding Lowercase { get; init; }

    /// <summary>The namespace is a single segment (a host) and the name is a path below it, its '/' kept unencoded (git).</summary>
    public bool NameIsPath { get; init; }

    public int MaxNamespaceSegments { get; init; } = int.MaxValue;

    public IReadOnlyList<string> RequiredQualifiers { get; init; } = [];

    /// <summary>Type-specific normalisation beyond case folding; must be idempotent.</summary>
    public Func<PurlParts, PurlParts>? Normalize { get; init; }

    /// <summary>Type-specific checks on the normalised parts: an error message, or null when they are valid.</summary>
    public Func<PurlParts, string?>? Validate { get; init; }

    public bool TryApply(ref PurlParts parts, [NotNullWhen(false)] out string? error)
    {
        if (NameIsPath)
        {
            if (parts.Namespace is { } path && path.IndexOf('/') is var slash and > 0)
                parts = parts with { Namespace = path[..slash], Name = $"{path[(slash + 1)..]}/{parts.Name}" };
            if (PurlParser.JoinSegments(parts.Name, isSubpath: false) is not { } name)
            {
                error = "a package URL requires a name";
                return false;
            }

            parts = parts with { Name = name };
        }

        if (Lowercase != PurlCaseFolding.None)
        {
            parts = parts with
            {
                Namespace = (Lowercase & PurlCaseFolding.Namespace) != 0 ? parts.Namespace?.ToLowerInvariant() : parts.Namespace,
                Name = (Lowercase & PurlCaseFolding.Name) != 0 ? parts.Name.ToLowerInvariant() : parts.Name,
                Version = (Lowercase & PurlCaseFolding.Version) != 0 ? parts.Version?.ToLowerInvariant() : parts.Version,
            };
        }

        if (Normalize is not null)
            parts = Normalize(parts);

        error = CheckNamespace(parts) ?? CheckQualifiers(parts) ?? Validate?.Invoke(parts);
        return error is null;
    }

    private string? CheckNamespace(PurlParts parts) => Namespace switch
    {
        PurlPartRequirement.Required when parts.Namespace is null => $"a '{parts.Type}' package URL requires a namespace",
        PurlPartRequirement.Prohibited when parts.Namespace is not null => $"a '{parts.Type}' package URL has no namespace, but '{parts.Namespace}' was given",
        _ when parts.Namespace is not null && parts.Namespace.Count(c => c == '/') >= MaxNamespaceSegments =>
            $"a '{parts.Type}' package URL namespace has at most {MaxNamespaceSegments} segments, but '{parts.Namespace}' has more",
        _ => null,
    };

    private string? CheckQualifiers(PurlParts parts)
    {
        foreach (var key in RequiredQualifiers)
        {
            if (parts.Qualifiers is null || !parts.Qualifiers.ContainsKey(key))
                return $"a '{parts.Type}' package URL requires the '{key}' qualifier";
        }

        return null;
    }
}

/// <summary>
/// The registered package URL types whose definitions (https://github.com/package-url/purl-spec, types/*-definition.json)
/// add rules to the core specification. Types not listed here follow the core rules only.
/// </summary>
/// <remarks>
/// Versions are never required here, even where a definition asks for one (bazel, and swift and cran in older
/// definitions): a package's identity is its URL without version (<see cref="Purl.WithoutVersion"/>), and that
/// must stay a valid package URL.
/// </remarks>
internal static class PurlTypes
{
    private static readonly FrozenDictionary<string, PurlTypeRules> Rules = new Dictionary<string, PurlTypeRules>(StringComparer.Ordinal)
    {
        ["alpm"] = new() { Lowercase = PurlCaseFolding.NamespaceAndName },
        ["apk"] = new() { Lowercase = PurlCaseFolding.NamespaceAndName },
        ["bazel"] = new() { Namespace = PurlPartRequirement.Prohibited },
        ["bitbucket"] = new() { Lowercase = PurlCaseFolding.NamespaceAndName },
        ["bitnami"] = new() { Lowercase = PurlCaseFolding.Name },
        ["brew"] = new() { Lowercase = PurlCaseFolding.NamespaceAndName },
        ["cargo"] = new() { Namespace = PurlPartRequirement.Prohibited },
        ["chrome-extension"] = new()
        {
            Namespace = PurlPartRequirement.Prohibited,
            Lowercase = PurlCaseFolding.Name,
            Validate = ValidateChromeExtension,
        },
        ["cocoapods"] = new() { Validate = ValidateCocoapods },
        ["composer"] = new() { Lowercase = PurlCaseFolding.NamespaceAndName },
        ["cpan"] = new() { Normalize = NormalizeCpan, Validate = ValidateCpan },
        ["cran"] = new() { Namespace = PurlPartRequirement.Prohibited },
        ["deb"] = new() { Lowercase = PurlCaseFolding.NamespaceAndName },
        ["git"] = new() { Namespace = PurlPartRequirement.Required, NameIsPath = true, Lowercase = PurlCaseFolding.NamespaceAndName },
        ["github"] = new() { Lowercase = PurlCaseFolding.NamespaceAndName },
        ["golang"] = new() { Namespace = PurlPartRequirement.Required, Lowercase = PurlCaseFolding.NamespaceAndName },
        ["hex"] = new() { Lowercase = PurlCaseFolding.NamespaceAndName },
        ["huggingface"] = new() { Lowercase = PurlCaseFolding.Version },
        ["julia"] = new() { Namespace = PurlPartRequirement.Prohibited, RequiredQualifiers = ["uuid"] },
        ["luarocks"] = new() { Lowercase = PurlCaseFolding.NamespaceAndName },
        ["mlflow"] = new() { Namespace = PurlPartRequirement.Prohibited, Normalize = NormalizeMlflow },
        ["npm"] = new() { Lowercase = PurlCaseFolding.NamespaceAndName },
        ["oci"] = new() { Namespace = PurlPartRequirement.Prohibited, Lowercase = PurlCaseFolding.Name },
        ["otp"] = new() { Namespace = PurlPartRequirement.Prohibited, Lowercase = PurlCaseFolding.Name },
        ["pub"] = new() { Lowercase = PurlCaseFolding.Name, Validate = ValidatePub },
        ["pypi"] = new()
        {
            Namespace = PurlPartRequirement.Prohibited,
            Lowercase = PurlCaseFolding.Name | PurlCaseFolding.Version,
            Normalize = NormalizePypi,
        },
        ["qpkg"] = new() { Lowercase = PurlCaseFolding.Namespace },
        ["rpm"] = new() { Lowercase = PurlCaseFolding.Namespace },
        ["swid"] = new() { MaxNamespaceSegments = 2, RequiredQualifiers = ["tag_id"] },
        ["swift"] = new() { Namespace = PurlPartRequirement.Required },
        ["vcpkg"] = new() { Namespace = PurlPartRequirement.Prohibited },
        ["vscode-extension"] = new()
        {
            Namespace = PurlPartRequirement.Required,
            Lowercase = PurlCaseFolding.NamespaceAndName | PurlCaseFolding.Version,
        },
        ["yocto"] = new() { Lowercase = PurlCaseFolding.Namespace },
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Types that are not registered but that SBOM tools have written, each with the registered type it means:
    /// Syft wrote pkg:dotnet for NuGet packages, and pip, go, rubygems and crates/crate are ecosystem names used in place of the type.
    /// </summary>
    private static readonly FrozenDictionary<string, string> NonStandardTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dotnet"] = "nuget",
        ["pip"] = "pypi",
        ["go"] = "golang",
        ["rubygems"] = "gem",
        ["crates"] = "cargo",
        ["crate"] = "cargo",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Registered types that the core rules fully cover, so that they have no entry in <see cref="Rules"/>.</summary>
    private static readonly string[] CoreOnlyTypes = ["conan", "conda", "docker", "gem", "generic", "hackage", "maven", "nuget", "opam"];

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> RegisteredTypes =
        Rules.Keys.Concat(CoreOnlyTypes).ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    public static PurlTypeRules For(string type) => Rules.GetValueOrDefault(type, PurlTypeRules.Core);

    /// <summary>The shared string for a registered type written in lower case, so that reading one allocates nothing.</summary>
    public static string? Registered(ReadOnlySpan<char> type) => RegisteredTypes.TryGetValue(type, out var registered) ? registered : null;

    public static bool TryGetStandardType(string nonStandardType, [NotNullWhen(true)] out string? type) =>
        NonStandardTypes.TryGetValue(nonStandardType, out type);

    /// <summary>PyPI names compare after lower-casing and turning each run of '-', '_' and '.' into one '-' (PEP 503).</summary>
    private static PurlParts NormalizePypi(PurlParts parts)
    {
        var name = parts.Name;
        if (name.AsSpan().IndexOfAny('_', '.') < 0 && !name.Contains("--", StringComparison.Ordinal))
            return parts;

        return parts with { Name = CollapseSeparators(name) };
    }

    private static string CollapseSeparators(string name)
    {
        Span<char> buffer = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        var length = 0;
        foreach (var c in name)
        {
            if (c is '-' or '_' or '.')
            {
                if (length == 0 || buffer[length - 1] != '-')
                    buffer[length++] = '-';
            }
            else
            {
                buffer[length++] = c;
            }
        }

        return new string(buffer[..length]);
    }

    /// <summary>Databricks model names are case-insensitive and lower-cased; Azure ML and others keep their case.</summary>
    private static PurlParts NormalizeMlflow(PurlParts parts)
    {
        if (parts.Qualifiers is null || !parts.Qualifiers.TryGetValue("repository_url", out var url))
            return parts;
        var host = HostOf(url);
        var isDatabricks = host.EndsWith(".databricks.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".azuredatabricks.net", StringComparison.OrdinalIgnoreCase);
        return isDatabricks ? parts with { Name = parts.Name.ToLowerInvariant() } : parts;
    }

    private static ReadOnlySpan<char> HostOf(string url)
    {
        var span = url.AsSpan();
        var scheme = span.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            span = span[(scheme + 3)..];
        var end = span.IndexOfAny('/', '?', '#');
        return end < 0 ? span : span[..end];
    }

    /// <summary>A CPAN author id is written in upper case.</summary>
    private static PurlParts NormalizeCpan(PurlParts parts) => parts with { Namespace = parts.Namespace?.ToUpperInvariant() };

    private static string? ValidateCpan(PurlParts parts) =>
        parts.Name.Contains("::", StringComparison.Ordinal)
            ? $"a 'cpan' package URL names a distribution, not a module: '{parts.Name}' contains '::'"
            : null;

    private static string? ValidateChromeExtension(PurlParts parts)
    {
        if (parts.Name.Length != 32 || parts.Name.AsSpan().ContainsAnyExceptInRange('a', 'p'))
            return $"a 'chrome-extension' name is an extension id of 32 letters from 'a' to 'p', not '{parts.Name}'";
        if (parts.Version is { } version && !IsDottedNumber(version, maxSegments: 4))
            return $"a 'chrome-extension' version is one to four dot-separated numbers, not '{version}'";
        return null;
    }

    private static bool IsDottedNumber(string text, int maxSegments)
    {
        var segments = 0;
        foreach (var segment in text.AsSpan().Split('.'))
        {
            var digits = text.AsSpan()[segment];
            if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9') || ++segments > maxSegments)
                return false;
        }

        return true;
    }

    private static string? ValidateCocoapods(PurlParts parts)
    {
        var name = parts.Name;
        if (name.StartsWith('.') || name.Contains('+', StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
            return $"a 'cocoapods' pod name cannot begin with '.' or contain '+' or white space: '{name}'";
        return null;
    }

    private static string? ValidatePub(PurlParts parts)
    {
        foreach (var c in parts.Name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '_')
                return $"a 'pub' package name has only 'a'-'z', '0'-'9' and '_': '{parts.Name}'";
        }

        return null;
    }
}
