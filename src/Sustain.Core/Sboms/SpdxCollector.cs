using System.Text;

namespace Sustain.Core.Sboms;

/// <summary>What an SPDX relationship type means for Sustain's model.</summary>
internal enum SpdxRelationshipMeaning
{
    Ignored,
    Dependency,
    Describes,
    DescribedBy,
    ConcludedLicense,
    DeclaredLicense,
}

/// <summary>
/// One SPDX relationship type as the specification spells it, and what it means here. When
/// <see cref="Reversed"/>, the edge runs from the related element to the element: "B DEPENDENCY_OF A"
/// says A depends on B.
/// </summary>
internal sealed record SpdxRelationshipType(string Name, SpdxRelationshipMeaning Meaning, DependencyKind Kind = DependencyKind.DependsOn, bool Reversed = false);

/// <summary>The relationship vocabularies of SPDX 2 and SPDX 3, and the tolerant lookup real documents need.</summary>
internal sealed class SpdxRelationshipTypes
{
    public static readonly SpdxRelationshipTypes Spdx2 = new(
        [
            new("DESCRIBES", SpdxRelationshipMeaning.Describes),
            new("DESCRIBED_BY", SpdxRelationshipMeaning.DescribedBy),
            new("CONTAINS", SpdxRelationshipMeaning.Dependency, DependencyKind.Contains),
            new("CONTAINED_BY", SpdxRelationshipMeaning.Dependency, DependencyKind.Contains, Reversed: true),
            new("DEPENDS_ON", SpdxRelationshipMeaning.Dependency),
            new("DEPENDENCY_OF", SpdxRelationshipMeaning.Dependency, Reversed: true),
            new("RUNTIME_DEPENDENCY_OF", SpdxRelationshipMeaning.Dependency, DependencyKind.Runtime, Reversed: true),
            new("BUILD_DEPENDENCY_OF", SpdxRelationshipMeaning.Dependency, DependencyKind.Build, Reversed: true),
            new("DEV_DEPENDENCY_OF", SpdxRelationshipMeaning.Dependency, DependencyKind.Dev, Reversed: true),
            new("TEST_DEPENDENCY_OF", SpdxRelationshipMeaning.Dependency, DependencyKind.Test, Reversed: true),
            new("OPTIONAL_DEPENDENCY_OF", SpdxRelationshipMeaning.Dependency, DependencyKind.Optional, Reversed: true),
            new("PROVIDED_DEPENDENCY_OF", SpdxRelationshipMeaning.Dependency, DependencyKind.Provided, Reversed: true),
            new("STATIC_LINK", SpdxRelationshipMeaning.Dependency),
            new("DYNAMIC_LINK", SpdxRelationshipMeaning.Dependency),
        ],
        ["DEPENDENCY_MANIFEST_OF", "GENERATED_FROM", "GENERATES", "ANCESTOR_OF", "DESCENDANT_OF", "VARIANT_OF",
         "DISTRIBUTION_ARTIFACT", "PATCH_FOR", "PATCH_APPLIED", "COPY_OF", "FILE_ADDED", "FILE_DELETED", "FILE_MODIFIED",
         "EXPANDED_FROM_ARCHIVE", "DATA_FILE_OF", "TEST_CASE_OF", "BUILD_TOOL_OF", "DEV_TOOL_OF", "TEST_OF", "TEST_TOOL_OF",
         "DOCUMENTATION_OF", "OPTIONAL_COMPONENT_OF", "METAFILE_OF", "PACKAGE_OF", "AMENDS", "PREREQUISITE_FOR",
         "HAS_PREREQUISITE", "REQUIREMENT_DESCRIPTION_FOR", "SPECIFICATION_FOR", "EXAMPLE_OF", "OTHER"],
        new Dictionary<string, string>(StringComparer.Ordinal) { ["DESCRIBE"] = "DESCRIBES" });

    public static readonly SpdxRelationshipTypes Spdx3 = new(
        [
            new("describes", SpdxRelationshipMeaning.Describes),
            new("contains", SpdxRelationshipMeaning.Dependency, DependencyKind.Contains),
            new("dependsOn", SpdxRelationshipMeaning.Dependency),
            new("hasDynamicLink", SpdxRelationshipMeaning.Dependency),
            new("hasStaticLink", SpdxRelationshipMeaning.Dependency),
            new("hasOptionalDependency", SpdxRelationshipMeaning.Dependency, DependencyKind.Optional),
            new("hasProvidedDependency", SpdxRelationshipMeaning.Dependency, DependencyKind.Provided),
            new("hasConcludedLicense", SpdxRelationshipMeaning.ConcludedLicense),
            new("hasDeclaredLicense", SpdxRelationshipMeaning.DeclaredLicense),
        ],
        ["affects", "amendedBy", "ancestorOf", "availableFrom", "configures", "coordinatedBy", "copiedTo", "delegatedTo",
         "descendantOf", "doesNotAffect", "expandsTo", "exploitCreatedBy", "fixedBy", "fixedIn", "foundBy", "generates",
         "hasAddedFile", "hasAssessmentFor", "hasAssociatedVulnerability", "hasDataFile", "hasDeletedFile",
         "hasDependencyManifest", "hasDistributionArtifact", "hasDocumentation", "hasEvidence", "hasExample", "hasHost",
         "hasInput", "hasMetadata", "hasOptionalComponent", "hasOutput", "hasPrerequisite", "hasRequirement",
         "hasSpecification", "hasTest", "hasTestCase", "hasVariant", "invokedBy", "modifiedBy", "other", "packagedBy",
         "patchedBy", "publishedBy", "reportedBy", "republishedBy", "serializedInArtifact", "testedOn", "trainedOn",
         "underInvestigationFor", "usesTool"],
        new Dictionary<string, string>(StringComparer.Ordinal) { ["DESCRIBE"] = "describes" });

    private readonly Dictionary<string, SpdxRelationshipType> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SpdxRelationshipType> _tolerant = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SpdxRelationshipType>.AlternateLookup<ReadOnlySpan<char>> _exactBySpan;

    private SpdxRelationshipTypes(SpdxRelationshipType[] meaningful, string[] ignored, Dictionary<string, string> misspellings)
    {
        foreach (var type in meaningful.Concat(ignored.Select(name => new SpdxRelationshipType(name, SpdxRelationshipMeaning.Ignored))))
        {
            _exact.Add(type.Name, type);
            _tolerant.Add(Fold(type.Name), type);
        }

        foreach (var (wrong, right) in misspellings)
            _tolerant.Add(Fold(wrong), _exact[right]);
        _exactBySpan = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The type as written, or as real tools misspell it (case, hyphens for underscores, "DESCRIBE"); null when unknown.</summary>
    public SpdxRelationshipType? Find(ReadOnlySpan<char> written, out bool exact)
    {
        exact = _exactBySpan.TryGetValue(written, out var type);
        if (exact)
            return type;
        return _tolerant.GetValueOrDefault(Fold(written));
    }

    private static string Fold(ReadOnlySpan<char> name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 128)];
        var length = 0;
        foreach (var c in name[..buffer.Length])
        {
            if (c is not ('_' or '-' or ' '))
                buffer[length++] = char.ToUpperInvariant(c);
        }

        return new string(buffer[..length]);
    }
}

/// <summary>
/// The fields of one SPDX package (2.x or 3) as a reader finds them, and their mapping onto
/// <see cref="SbomComponent"/>. The tag-value reader reuses one instance; call <see cref="Reset"/> between packages. (The SPDX 2 JSON reader applies the same rules to the document's UTF-8 without one.)
/// Hash, homepage and download text is copied into one buffer that the instance reuses, not made strings: it
/// goes into the document's packed details once the package is complete.
/// </summary>
internal sealed class SpdxPackage
{
    private readonly List<string> _licenses = [];
    private readonly List<Entry> _hashes = [];
    private readonly List<Entry> _references = [];
    private char[] _text = [];
    private int _textLength;
    private Entry _homepage;
    private Entry _downloadLocation;

    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Version { get; set; }

    /// <summary>primaryPackagePurpose (SPDX 2) or software_primaryPurpose (SPDX 3), as written.</summary>
    public string? Purpose { get; set; }

    /// <summary>The first package URL the package names.</summary>
    public string? PurlText { get; set; }

    /// <summary>SPDX 2 "Organization: X" or "Person: X (email)", or for SPDX 3 the id of the supplying agent.</summary>
    public string? Supplier { get; set; }

    public void Reset()
    {
        Id = Name = Version = Purpose = PurlText = Supplier = null;
        _licenses.Clear();
        _hashes.Clear();
        _references.Clear();
        _textLength = 0;
        _homepage = _downloadLocation = default;
    }

    /// <summary>The homepage as written; a later one replaces it, and NOASSERTION or NONE means none.</summary>
    public void SetHomepage(ReadOnlySpan<char> written) => _homepage = Keep(string.Empty, written);

    /// <summary>The download location as written; a later one replaces it, and NOASSERTION or NONE means none.</summary>
    public void SetDownloadLocation(ReadOnlySpan<char> written) => _downloadLocation = Keep(string.Empty, written);

    public void AddLicense(string? expression) => AddLicense(_licenses, expression);

    /// <summary>A licence expression added to <paramref name="licenses"/> unless it is empty, says nothing (NOASSERTION, NONE) or is there already.</summary>
    public static void AddLicense(List<string> licenses, string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression) || IsNoValue(expression) || licenses.Contains(expression))
            return;
        licenses.Add(expression);
    }

    public void AddChecksum(ReadOnlySpan<char> algorithm, ReadOnlySpan<char> value)
    {
        if (algorithm.IsWhiteSpace() || value.IsWhiteSpace())
            return;
        _hashes.Add(Keep(HashAlgorithm(algorithm), value.Trim()));
    }

    /// <summary>An SPDX 2 external reference: only a package-manager purl matters here, the first one.</summary>
    public void AddExternalRef(string? category, string? type, string? locator)
    {
        if (IsPurlReference(category, type))
            AddPurl(locator);
    }

    /// <summary>Whether an SPDX 2 external reference of this category and type is a package URL.</summary>
    public static bool IsPurlReference(ReadOnlySpan<char> category, ReadOnlySpan<char> type)
    {
        Span<byte> categoryBuffer = stackalloc byte[RefTable.StackChars * 3];
        Span<byte> typeBuffer = stackalloc byte[RefTable.StackChars * 3];
        return IsPurlReference(RefTable.Encode(category, categoryBuffer), RefTable.Encode(type, typeBuffer));
    }

    /// <summary>As the other overload, for a category and type as a JSON reader has them.</summary>
    public static bool IsPurlReference(ReadOnlySpan<byte> category, ReadOnlySpan<byte> type) =>
        Ascii.EqualsIgnoreCase(type, "purl"u8)
        && (Ascii.EqualsIgnoreCase(category, "PACKAGE-MANAGER"u8)
            || Ascii.EqualsIgnoreCase(category, "PACKAGE_MANAGER"u8)
            || Ascii.EqualsIgnoreCase(category, "packageManager"u8));

    /// <summary>A package URL the package names; the first one wins.</summary>
    public void AddPurl(string? locator)
    {
        if (PurlText is null && !string.IsNullOrWhiteSpace(locator))
            PurlText = locator.Trim();
    }

    /// <summary>An SPDX 3 externalIdentifier; a packageUrl one stands in for a missing software_packageUrl.</summary>
    public void AddExternalIdentifier(string? type, string? identifier)
    {
        if (PurlText is null && string.Equals(type, "packageUrl", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(identifier))
            PurlText = identifier.Trim();
    }

    /// <summary>An SPDX 3 externalRef, mapped onto CycloneDX's reference types where there is one.</summary>
    public void AddExternalRef3(string? type, string? locator)
    {
        var mapped = type switch
        {
            "vcs" => ExternalReference.Vcs,
            "issueTracker" => "issue-tracker",
            "documentation" => "documentation",
            "mailingList" => "mailing-list",
            "chat" => "chat",
            "socialMedia" => "social",
            "releaseNotes" => "release-notes",
            "funding" => "funding",
            "securityAdvisory" => "advisories",
            _ => null,
        };
        if (mapped is not null && !string.IsNullOrWhiteSpace(locator) && !IsNoValue(locator))
            AddReference(mapped, locator.Trim());
    }

    /// <summary>The component, its hashes and references put straight into <paramref name="details"/>.</summary>
    public SbomComponent ToComponent(string? type, string? supplier, SbomComponentDetails details)
    {
        AddLocations();
        return new SbomComponent
        {
            Ref = Id!,
            Name = Name,
            Version = string.IsNullOrEmpty(Version) || IsNoValue(Version) ? null : Version,
            Type = type,
            PurlText = PurlText,
            Licenses = _licenses.Count == 0 ? [] : [.. _licenses],
            PackedHashes = PackHashes(details),
            Supplier = supplier,
            PackedReferences = PackReferences(details),
        };
    }

    /// <summary>As <see cref="ToComponent"/>, with all of the package's text packed into <paramref name="details"/> too: no object is made for it.</summary>
    public ComponentRecord ToRecord(string? type, string? supplier, SbomBuilder builder)
    {
        AddLocations();
        var details = builder.Details;
        return new ComponentRecord
        {
            Name = details.Keep(Name),
            Version = details.Keep(string.IsNullOrEmpty(Version) || IsNoValue(Version) ? null : Version),
            Type = details.Value(type),
            PurlText = details.Keep(PurlText),
            Licenses = details.Licenses(_licenses),
            Hashes = PackHashes(details),
            Supplier = details.Keep(supplier),
            References = PackReferences(details),
        };
    }

    private void AddLocations()
    {
        var homepage = Text(_homepage);
        if (!IsNoValue(homepage) && homepage.Length > 0)
            AddReference(ExternalReference.Website, homepage);
        var download = Text(_downloadLocation);
        if (!IsNoValue(download) && download.Length > 0)
            AddReference(IsVcs(download) ? ExternalReference.Vcs : ExternalReference.Distribution, download);
    }

    private PackedRange PackHashes(SbomComponentDetails details)
    {
        var start = details.HashCount;
        foreach (var hash in _hashes)
            details.AddHash(hash.Kind, Text(hash));
        return new PackedRange(start, _hashes.Count);
    }

    private PackedRange PackReferences(SbomComponentDetails details)
    {
        var start = details.ReferenceCount;
        foreach (var reference in _references)
            details.AddReference(reference.Kind, Text(reference));
        return new PackedRange(start, _references.Count);
    }

    /// <summary>As the other overload, for an element id as a JSON reader has it.</summary>
    public static bool IsNoValue(ReadOnlySpan<byte> value) =>
        Ascii.EqualsIgnoreCase(value, "NOASSERTION"u8) || Ascii.EqualsIgnoreCase(value, "NONE"u8);

    /// <summary>SPDX's "no value" keywords, which say nothing about the package.</summary>
    public static bool IsNoValue(ReadOnlySpan<char> value) =>
        value.Equals("NOASSERTION", StringComparison.OrdinalIgnoreCase) || value.Equals("NONE", StringComparison.OrdinalIgnoreCase);

    /// <summary>"Organization: Acme (ops@acme.example)" → "Acme"; the keywords NOASSERTION and NONE → null.</summary>
    public static string? SupplierName(string? written)
    {
        if (string.IsNullOrWhiteSpace(written) || IsNoValue(written.Trim()))
            return null;
        var name = written.AsSpan().Trim();
        foreach (var prefix in (ReadOnlySpan<string>)["Organization:", "Person:", "Tool:"])
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                name = name[prefix.Length..].Trim();
                break;
            }
        }

        // The contact in parentheses ("(jane@example.com)", or "()") is not part of the name.
        if (name.EndsWith(')') && name.LastIndexOf('(') is var open and > 0)
        {
            var contact = name[(open + 1)..^1];
            if (contact.IsEmpty || contact.Contains('@'))
                name = name[..open].TrimEnd();
        }

        return name.IsEmpty ? null : name.ToString();
    }

    /// <summary>Whether a download location is a source repository rather than an artefact to fetch.</summary>
    public static bool IsVcs(ReadOnlySpan<char> location)
    {
        Span<byte> buffer = stackalloc byte[RefTable.StackChars * 3];
        return IsVcs(RefTable.Encode(location, buffer));
    }

    /// <summary>As the other overload, for a location as a JSON reader has it.</summary>
    public static bool IsVcs(ReadOnlySpan<byte> location)
    {
        foreach (var prefix in VcsPrefixes)
        {
            if (location.Length >= prefix.Length && Ascii.EqualsIgnoreCase(location[..prefix.Length], prefix))
                return true;
        }

        // The host by hand: Uri would cost more than the rest of the package's mapping.
        var scheme = location.IndexOf("://"u8);
        if (scheme <= 0)
            return false;
        var host = location[(scheme + 3)..];
        var end = host.IndexOfAny((byte)'/', (byte)'?', (byte)'#');
        if (end >= 0)
            host = host[..end];
        var at = host.LastIndexOf((byte)'@');
        if (at >= 0)
            host = host[(at + 1)..];
        var port = host.IndexOf((byte)':');
        if (port >= 0)
            host = host[..port];
        return IsHostOrSubdomain(host, "github.com"u8) || IsHostOrSubdomain(host, "gitlab.com"u8);
    }

    private static readonly byte[][] VcsPrefixes = ["git+"u8.ToArray(), "svn+"u8.ToArray(), "hg+"u8.ToArray(), "bzr+"u8.ToArray(), "git://"u8.ToArray(), "git@"u8.ToArray()];

    private static bool IsHostOrSubdomain(ReadOnlySpan<byte> host, ReadOnlySpan<byte> forge) =>
        host.Length >= forge.Length
        && Ascii.EqualsIgnoreCase(host[^forge.Length..], forge)
        && (host.Length == forge.Length || host[^(forge.Length + 1)] == (byte)'.');

    /// <summary>SPDX names ("SHA1", "sha3_256", "BLAKE2b-256") in CycloneDX's spelling ("SHA-1", "SHA3-256", "BLAKE2b-256").</summary>
    public static string HashAlgorithm(ReadOnlySpan<char> written)
    {
        written = written.Trim();
        Span<char> buffer = stackalloc char[16];
        var length = 0;
        foreach (var c in written)
        {
            if (c is '-' or '_')
                continue;
            if (length == buffer.Length)
                return written.ToString();
            buffer[length++] = char.ToUpperInvariant(c);
        }

        return buffer[..length] switch
        {
            "MD5" => "MD5",
            "SHA1" => "SHA-1",
            "SHA224" => "SHA-224",
            "SHA256" => "SHA-256",
            "SHA384" => "SHA-384",
            "SHA512" => "SHA-512",
            "SHA3256" => "SHA3-256",
            "SHA3384" => "SHA3-384",
            "SHA3512" => "SHA3-512",
            "BLAKE2B256" => "BLAKE2b-256",
            "BLAKE2B384" => "BLAKE2b-384",
            "BLAKE2B512" => "BLAKE2b-512",
            "BLAKE3" => "BLAKE3",
            _ => written.ToString(),
        };
    }

    private void AddReference(string type, ReadOnlySpan<char> url)
    {
        foreach (var existing in _references)
        {
            if (existing.Kind == type && Text(existing).SequenceEqual(url))
                return;
        }

        _references.Add(Keep(type, url));
    }

    /// <summary>Copies text into the buffer; the buffer only grows, so text kept earlier stays where it is.</summary>
    private Entry Keep(string kind, ReadOnlySpan<char> text)
    {
        if (_textLength + text.Length > _text.Length)
            Array.Resize(ref _text, Math.Max(_textLength + text.Length, Math.Max(64, _text.Length * 2)));
        text.CopyTo(_text.AsSpan(_textLength));
        var entry = new Entry(kind, _textLength, text.Length);
        _textLength += text.Length;
        return entry;
    }

    private ReadOnlySpan<char> Text(Entry entry) => _text.AsSpan(entry.Start, entry.Length);

    /// <summary>A hash or reference: its algorithm or type, and where its text is in the buffer.</summary>
    private readonly record struct Entry(string Kind, int Start, int Length);
}

/// <summary>
/// What the three SPDX readers share once they have parsed their syntax: packages become components,
/// files and other elements are remembered only so that relationships naming them are dropped quietly,
/// and relationships are resolved at the end, because SPDX puts elements and relationships in any order.
/// </summary>
internal sealed class SpdxCollector
{
    private const int MaxListedExamples = 3;

    private static readonly HashSet<string> Spdx2Purposes = new(StringComparer.Ordinal)
    {
        "application", "framework", "library", "container", "operating-system", "device", "firmware", "source", "archive", "file", "install", "other",
    };

    private readonly SbomBuilder _builder;
    private readonly SpdxRelationshipTypes _types;
    private readonly bool _spdx3;
    /// <summary>One string for each short value the document repeats, for readers to share.</summary>
    public StringPool Strings { get; } = new();

    private readonly HashSet<string> _documents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nonComponents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _externals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _containers = new(StringComparer.Ordinal);
    private readonly PagedList<PendingRelationship> _relationships = new();
    private readonly List<string> _roots = [];
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly List<string> _externalExamples = [];
    private readonly Dictionary<string, SpdxPackage> _deferred = new(StringComparer.Ordinal);
    private readonly List<(string Id, SbomLocation Location)> _deferredOrder = [];
    private readonly Dictionary<string, string> _licenseExpressions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _agents = new(StringComparer.Ordinal);
    private readonly RefTable _elementNumbers = new();
    private readonly List<Element> _elements = [];
    private int _lastNumber = -1;
    private int _lastFrom = -1;
    private readonly LastValue<SpdxRelationshipType?> _lastType = new(64);
    private int _externalCount;
    private bool _externalDependency;

    /// <param name="spdx3">
    /// SPDX 3 names a package's licences and supplier through other elements, which may come later;
    /// its packages are kept until <see cref="Build"/>. SPDX 2 packages are complete when read.
    /// </param>
    public SpdxCollector(SbomBuilder builder, bool spdx3)
    {
        _builder = builder;
        _spdx3 = spdx3;
        _types = spdx3 ? SpdxRelationshipTypes.Spdx3 : SpdxRelationshipTypes.Spdx2;
    }

    public SbomBuilder Builder => _builder;

    /// <summary>The document's own id (SPDX 2) or an SpdxDocument's: what it DESCRIBES are the roots.</summary>
    public void AddDocument(string id)
    {
        _documents.Add(id);
        _nonComponents.Add(id);
        ElementAt(Number(id)).IsDocument = true;
    }

    /// <summary>An SPDX 3 collection (SpdxDocument, Sbom, Bundle): a root naming it stands for its own root elements.</summary>
    public void AddContainer(string id, List<string> rootElements)
    {
        AddNonComponent(id);
        if (!_containers.TryGetValue(id, out var roots))
            _containers.Add(id, rootElements);
        else
            roots.AddRange(rootElements);
    }

    /// <summary>A file, snippet or other element that is not a package: never a component, and relationships naming it are not dangling.</summary>
    public void AddNonComponent(string id)
    {
        if (_nonComponents.Add(id) && _nonComponents.Count > _builder.Options.MaxComponents)
            throw new SbomLimitExceededException($"The document has more than {_builder.Options.MaxComponents:N0} elements, the most this server reads.");
        ElementAt(Number(id)).IsOther = true;
    }

    /// <summary>An SPDX 3 element imported from another document: relationships naming it are external.</summary>
    public void AddExternal(string id) => _externals.Add(id);

    /// <summary>An SPDX 3 licence expression element, so that hasDeclaredLicense and hasConcludedLicense can name it.</summary>
    public void AddLicenseExpression(string id, string expression)
    {
        AddNonComponent(id);
        _licenseExpressions.TryAdd(id, expression);
    }

    /// <summary>An SPDX 3 agent (organisation, person, tool), so that a package's suppliedBy can be shown by name.</summary>
    public void AddAgent(string id, string? name)
    {
        AddNonComponent(id);
        if (!string.IsNullOrWhiteSpace(name))
            _agents.TryAdd(id, name);
    }

    /// <summary>Adds a package: at once for SPDX 2 (the instance may be reused afterwards), at <see cref="Build"/> for SPDX 3.</summary>
    public void AddPackage(SpdxPackage package, SbomLocation location)
    {
        if (!_spdx3)
        {
            Span<byte> buffer = stackalloc byte[RefTable.StackChars * 3];
            AddPackage(RefTable.Encode(package.Id, buffer), package.ToRecord(Purpose(package.Purpose, location), SpdxPackage.SupplierName(package.Supplier), _builder), location);
            return;
        }

        if (_deferred.TryAdd(package.Id!, package))
        {
            _deferredOrder.Add((package.Id!, location));
            if (_deferred.Count > _builder.Options.MaxComponents)
                throw new SbomLimitExceededException($"The document has more than {_builder.Options.MaxComponents:N0} components, the most this server reads.");
        }
        else
        {
            // Let the builder report the duplicate the way it does for every format.
            _deferredOrder.Add((package.Id!, location));
        }
    }

    /// <summary>An SPDX 2 package whose text a reader has put into the builder's details already (see <see cref="SbomBuilder.AddComponent(ReadOnlySpan{byte}, ComponentRecord, SbomLocation)"/>).</summary>
    public void AddPackage(ReadOnlySpan<byte> id, ComponentRecord record, SbomLocation location)
    {
        var index = _builder.AddComponent(id, record, location);

        // A relationship or file read before the package named it: it is this component.
        if (_elementNumbers.Count > 0 && _elementNumbers.Find(id) is var number and >= 0)
            ElementAt(number).Component = index;
    }

    public void AddRoot(string id)
    {
        if (!SpdxPackage.IsNoValue(id))
            _roots.Add(id);
    }

    /// <summary>Records a relationship. <paramref name="scope"/> is an SPDX 3 lifecycle scope, refining a dependency's kind.</summary>
    public void AddRelationship(string from, ReadOnlySpan<char> type, string to, SbomLocation location, string? scope = null) =>
        AddRelationship(from.AsSpan(), type, to.AsSpan(), location, scope);

    /// <summary>As the other overload, with the ends as a reader found them: no string is made for them.</summary>
    public void AddRelationship(ReadOnlySpan<char> from, ReadOnlySpan<char> type, ReadOnlySpan<char> to, SbomLocation location, string? scope = null)
    {
        Span<byte> fromBuffer = stackalloc byte[RefTable.StackChars * 3];
        Span<byte> typeBuffer = stackalloc byte[RefTable.StackChars * 3];
        Span<byte> toBuffer = stackalloc byte[RefTable.StackChars * 3];
        AddRelationship(RefTable.Encode(from, fromBuffer), RefTable.Encode(type, typeBuffer), RefTable.Encode(to, toBuffer), location, scope);
    }

    /// <summary>
    /// As the other overload, with everything as UTF-8, as a JSON reader has it. A dependency between two packages already
    /// read becomes an edge at once; any other relationship waits for <see cref="Build"/>, when every element is known.
    /// The text need not have been checked to be UTF-8: an end found among the packages, or a type equal to the last one,
    /// is the checked text it equals, and anything else is checked before it is kept or decoded.
    /// </summary>
    public void AddRelationship(ReadOnlySpan<byte> from, ReadOnlySpan<byte> type, ReadOnlySpan<byte> to, SbomLocation location, string? scope = null)
    {
        var known = TypeOf(type, location);
        if (known is null || known.Meaning == SpdxRelationshipMeaning.Ignored || SpdxPackage.IsNoValue(from) || SpdxPackage.IsNoValue(to))
            return;
        if (IsExternal(from) || IsExternal(to))
        {
            // The dependency is real even though Sustain cannot follow it into the other document.
            _externalDependency |= known.Meaning == SpdxRelationshipMeaning.Dependency;
            _externalCount++;
            if (_externalExamples.Count < MaxListedExamples && RequireUtf8(from, location) && RequireUtf8(to, location))
                _externalExamples.Add($"{Encoding.UTF8.GetString(from)} {known.Name} {Encoding.UTF8.GetString(to)}");
            return;
        }

        var kind = known.Kind;
        if (scope is not null && known.Meaning == SpdxRelationshipMeaning.Dependency && kind == DependencyKind.DependsOn)
            kind = ScopeKind(scope);

        // Relationships come grouped by their element more often than not, so the last one is tried first.
        var fromEnd = _lastFrom = End(from, _lastFrom, location);
        var toEnd = End(to, -1, location);
        if (known.Meaning == SpdxRelationshipMeaning.Dependency && fromEnd >= 0 && toEnd >= 0)
        {
            _builder.AddEdge(known.Reversed ? toEnd : fromEnd, known.Reversed ? fromEnd : toEnd, kind);
            return;
        }

        _relationships.Add(new PendingRelationship(fromEnd, known, toEnd, kind));
    }

    /// <summary>The relationship type as written, looked up and warned about once.</summary>
    private SpdxRelationshipType? TypeOf(ReadOnlySpan<byte> written, SbomLocation location)
    {
        if (_lastType.TryGet(written, out var last))
            return last;

        RequireUtf8(written, location);
        var text = Encoding.UTF8.GetString(written);
        var known = _types.Find(text, out var exact);
        if (known is null)
        {
            if (_warned.Add("unknown:" + text))
                _builder.Warn(location.ToString(), $"unknown relationship type '{text}'; relationships of this type were ignored");
        }
        else if (!exact && _warned.Add("spelling:" + text))
        {
            _builder.Warn(location.ToString(), $"relationship type '{text}' is not spelt as the SPDX specification spells it; it was read as {known.Name}");
        }

        return _lastType.Remember(written, known);
    }

    /// <summary>
    /// An end of a relationship: the index of the component when the id is a package already added (SPDX 2, read in
    /// order), otherwise the complement of the element's number, resolved in <see cref="Build"/>. A package is numbered
    /// once, by the builder; only elements that are not, or not yet, packages are numbered here.
    /// </summary>
    private int End(ReadOnlySpan<byte> id, int likely, SbomLocation location)
    {
        if (!_spdx3 && _builder.Find(id, likely) is var component and >= 0)
            return component;
        RequireUtf8(id, location);
        return ~Number(id);
    }

    /// <summary>True, or a located refusal of text that is not UTF-8.</summary>
    private static bool RequireUtf8(ReadOnlySpan<byte> text, SbomLocation location) =>
        System.Text.Unicode.Utf8.IsValid(text) ? true : throw new SbomFormatException(location.ToString(), "the relationship has an element id or type that is not valid UTF-8");

    public SbomDocument Build()
    {
        foreach (var relationship in _relationships)
        {
            switch (relationship.Type.Meaning)
            {
                case SpdxRelationshipMeaning.Describes when IsDocument(relationship.From) || _containers.ContainsKey(IdOf(relationship.From)):
                    _roots.Add(IdOf(relationship.To));
                    break;
                case SpdxRelationshipMeaning.DescribedBy when IsDocument(relationship.To):
                    _roots.Add(IdOf(relationship.From));
                    break;
                case SpdxRelationshipMeaning.ConcludedLicense or SpdxRelationshipMeaning.DeclaredLicense:
                    if (_deferred.TryGetValue(IdOf(relationship.From), out var licensed) && LicenseOf(IdOf(relationship.To)) is { } license)
                        licensed.AddLicense(license);
                    break;
            }
        }

        foreach (var (id, location) in _deferredOrder)
        {
            var package = _deferred[id];
            var supplier = package.Supplier is { } agent ? _agents.GetValueOrDefault(agent) : null;
            var index = _builder.AddComponent(package.ToComponent(Purpose(package.Purpose, location), supplier, _builder.Details), location);
            ElementAt(Number(id)).Component = index;
        }

        foreach (var relationship in _relationships)
        {
            if (relationship.Type.Meaning != SpdxRelationshipMeaning.Dependency)
                continue;

            // What the document itself contains says nothing about dependencies; files are not components.
            // Every end is already a number, so this costs no lookup.
            var (from, to) = relationship.Type.Reversed ? (relationship.To, relationship.From) : (relationship.From, relationship.To);
            var (fromComponent, toComponent) = (ComponentOf(from), ComponentOf(to));
            if ((fromComponent < 0 && _elements[~from].IsDocument) || (toComponent < 0 && _elements[~to].IsDocument))
                continue;
            _builder.MarkGraphPresent();
            if ((fromComponent < 0 && _elements[~from].IsOther) || (toComponent < 0 && _elements[~to].IsOther))
                continue;
            if (fromComponent >= 0 && toComponent >= 0)
                _builder.AddEdge(fromComponent, toComponent, relationship.Kind);
            else
                _builder.AddEdge(IdOf(from), IdOf(to), relationship.Kind);
        }

        if (_externalDependency)
            _builder.MarkGraphPresent();

        var expanded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in _roots)
            AddRootOrItsRoots(root, expanded);

        if (_externalCount > 0)
        {
            var more = _externalCount > _externalExamples.Count ? $"; and {_externalCount - _externalExamples.Count:N0} more" : string.Empty;
            _builder.Warn(string.Empty, $"{_externalCount:N0} relationships name elements of other SPDX documents and were ignored (e.g. {string.Join("; ", _externalExamples)}{more})");
        }

        return _builder.Build();
    }

    /// <summary>"SPDX-2.3" → "2.3"; null when the version is not one Sustain reads. A patch level ("SPDX-2.2.1") is read as its minor version, with a warning.</summary>
    public static string? Spdx2Version(string written, out string? warning)
    {
        warning = null;
        var text = written.Trim();
        if (!text.StartsWith("SPDX-2.", StringComparison.Ordinal) || text.Length < 8 || text[7] is < '0' or > '3')
            return null;
        var version = text[5..8];
        if (text.Length == 8)
            return version;
        if (text[8] == '.' && text.Length > 9 && text.AsSpan(9).ContainsAnyExceptInRange('0', '9') is false)
        {
            warning = $"spdxVersion '{written}' names a patch release; it was read as SPDX-{version}";
            return version;
        }

        return null;
    }

    /// <summary>Whether an SPDX 2 identifier is well formed: "SPDXRef-" and letters, digits, '.' or '-'.</summary>
    public static bool IsSpdxId(string id) =>
        id.StartsWith("SPDXRef-", StringComparison.Ordinal) && id.Length > 8 && !id.AsSpan(8).ContainsAnyExcept(SpdxIdCharacters);

    /// <summary>As the other overload, for an identifier as a JSON reader has it.</summary>
    public static bool IsSpdxId(ReadOnlySpan<byte> id) =>
        id.StartsWith("SPDXRef-"u8) && id.Length > 8 && !id[8..].ContainsAnyExcept(SpdxIdBytes);

    private const string SpdxIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-";

    private static readonly System.Buffers.SearchValues<char> SpdxIdCharacters = System.Buffers.SearchValues.Create(SpdxIdAlphabet);

    private static readonly System.Buffers.SearchValues<byte> SpdxIdBytes = System.Buffers.SearchValues.Create(Encoding.ASCII.GetBytes(SpdxIdAlphabet));

    public const string SpdxIdRule = "an SPDX identifier is 'SPDXRef-' followed by letters, digits, '.' or '-'";

    private static DependencyKind ScopeKind(string scope)
    {
        var slash = scope.LastIndexOf('/');
        return (slash >= 0 ? scope[(slash + 1)..] : scope) switch
        {
            "build" => DependencyKind.Build,
            "development" => DependencyKind.Dev,
            "test" => DependencyKind.Test,
            "runtime" => DependencyKind.Runtime,
            _ => DependencyKind.DependsOn,
        };
    }

    private bool IsExternal(ReadOnlySpan<byte> id) =>
        (id.StartsWith("DocumentRef-"u8) && id.Contains((byte)':')) || (_externals.Count > 0 && _externals.Contains(Encoding.UTF8.GetString(id)));


    /// <summary>The number of an element that is not (or not yet) a package, given to it the first time the document names it.</summary>
    /// <remarks>Relationships come grouped by their element more often than not, so the last one is remembered.</remarks>
    private int Number(ReadOnlySpan<char> id)
    {
        Span<byte> buffer = stackalloc byte[RefTable.StackChars * 3];
        return Number(RefTable.Encode(id, buffer));
    }

    private int Number(ReadOnlySpan<byte> id)
    {
        if (_lastNumber >= 0 && _elementNumbers.KeyEquals(_lastNumber, id))
            return _lastNumber;
        var number = _elementNumbers.Add(id);
        if (number < 0)
        {
            number = _elements.Count;
            _elements.Add(new Element());
        }

        return _lastNumber = number;
    }

    /// <summary>The component an end of a relationship (see <see cref="End"/>) names, once every package is added; -1 for none.</summary>
    private int ComponentOf(int end) => end >= 0 ? end : _elements[~end].Component;

    /// <summary>Whether an end of a relationship is the document, or an SPDX 3 SpdxDocument; a package never is, even one given the document's id.</summary>
    private bool IsDocument(int end) => ComponentOf(end) < 0 && _elements[~end].IsDocument;

    private string IdOf(int end) => end >= 0 ? _builder.RefOf(end) : _elementNumbers.KeyOf(~end);

    private ref Element ElementAt(int number) => ref System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_elements)[number];

    private string? LicenseOf(string id)
    {
        if (_licenseExpressions.TryGetValue(id, out var expression))
            return expression;
        const string listed = "https://spdx.org/licenses/";
        return id.StartsWith(listed, StringComparison.OrdinalIgnoreCase) && id.Length > listed.Length ? id[listed.Length..] : null;
    }

    private void AddRootOrItsRoots(string id, HashSet<string> expanded)
    {
        if (_containers.TryGetValue(id, out var roots))
        {
            if (expanded.Add(id))
            {
                foreach (var root in roots)
                    AddRootOrItsRoots(root, expanded);
            }

            return;
        }

        if (!_nonComponents.Contains(id) && !IsExternal(Encoding.UTF8.GetBytes(id)))
            _builder.AddRoot(id);
    }

    /// <summary>The package purpose in lower case: SPDX 2's "OPERATING-SYSTEM" and SPDX 3's "operatingSystem" both become "operating-system".</summary>
    internal string? Purpose(string? written, SbomLocation location)
    {
        if (string.IsNullOrWhiteSpace(written))
            return null;
        var purpose = written.Trim();
        var slash = purpose.LastIndexOf('/');
        if (slash >= 0)
            purpose = purpose[(slash + 1)..];
        if (_spdx3)
            return Kebab(purpose);
        var lower = purpose.Replace('_', '-').ToLowerInvariant();
        if (Spdx2Purposes.Contains(lower))
            return lower;
        if (_warned.Add("purpose:" + written))
            _builder.Warn(location.ToString(), $"primaryPackagePurpose '{written}' is not one SPDX defines; it was ignored");
        return null;
    }

    private static string Kebab(string camel)
    {
        var text = new System.Text.StringBuilder(camel.Length + 4);
        foreach (var c in camel)
        {
            if (char.IsUpper(c) && text.Length > 0)
                text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    /// <summary>A relationship between two elements, each end as <see cref="End"/> gives it.</summary>
    private readonly record struct PendingRelationship(int From, SpdxRelationshipType Type, int To, DependencyKind Kind);

    /// <summary>An element a relationship or the document names: a component once its package is added, or something else.</summary>
    private record struct Element()
    {
        public int Component { get; set; } = -1;

        /// <summary>A file, snippet, document or other element that is never a component.</summary>
        public bool IsOther { get; set; }

        public bool IsDocument { get; set; }
    }
}
