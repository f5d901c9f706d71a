using System.Text.Json;

namespace Sustain.Core.Sboms;

/// <summary>
/// SPDX 3 JSON-LD: an "@context" naming the SPDX 3 vocabulary and an "@graph" of elements, in any
/// order and with their properties in any order. Each element is read whole into <see cref="Element"/>,
/// then sorted by its type: packages (software, AI and dataset packages) are components; relationships,
/// documents, SBOMs, licences and agents are handed to <see cref="SpdxCollector"/>, which resolves them
/// once every element is known.
/// </summary>
internal static class Spdx3JsonLdReader
{
    public static SbomDocument Read(Stream stream, SbomReaderOptions options)
    {
        var builder = new SbomBuilder(SbomFormat.Spdx3JsonLd, options);
        var collector = new SpdxCollector(builder, spdx3: true);
        var json = new JsonStream(stream, options);
        try
        {
            json.ReadRequired("$");
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException("$", $"expected an object, found {JsonStream.Describe(json.TokenType)}");

            string? contextVersion = null;
            string? specVersion = null;
            var sawGraph = false;
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("@context"u8))
                {
                    contextVersion = ReadContextVersion(ref json);
                }
                else if (json.ValueTextEquals("@graph"u8))
                {
                    sawGraph = true;
                    ReadGraph(ref json, collector, ref specVersion);
                }
                else
                {
                    json.Skip();
                }
            }

            if (!sawGraph)
                throw new SbomFormatException("$.@graph", "missing: an SPDX 3 document lists its elements in \"@graph\"");
            var version = specVersion ?? contextVersion
                ?? throw new SbomFormatException("$.@context", "no SPDX version: neither the @context URL nor a CreationInfo's specVersion names one");
            if (!version.StartsWith("3.", StringComparison.Ordinal))
                throw new SbomFormatException("$.@graph", $"specVersion '{version}' is not SPDX 3; Sustain reads SPDX 3.0 JSON-LD, and SPDX 2 as JSON or tag-value");
            builder.SpecVersion = version;
            return collector.Build();
        }
        finally
        {
            json.Dispose();
        }
    }

    /// <summary>The version in an SPDX context URL ("https://spdx.org/rdf/3.0.1/spdx-context.jsonld" → "3.0.1"), wherever the @context holds it.</summary>
    private static string? ReadContextVersion(ref JsonStream json)
    {
        json.ReadRequired("$.@context");
        if (json.TokenType == JsonTokenType.String)
            return VersionInContext(json.GetString("$.@context"));
        if (json.TokenType != JsonTokenType.StartArray)
        {
            json.Skip();
            return null;
        }

        string? version = null;
        while (NextItem(ref json))
        {
            if (json.TokenType == JsonTokenType.String)
                version ??= VersionInContext(json.GetString("$.@context"));
            else
                json.Skip();
        }

        return version;
    }

    private static string? VersionInContext(string? url)
    {
        const string marker = "/rdf/";
        var start = url?.IndexOf(marker, StringComparison.OrdinalIgnoreCase) ?? -1;
        if (start < 0)
            return null;
        start += marker.Length;
        var end = url!.IndexOf('/', start);
        return end > start ? url[start..end] : null;
    }

    private static void ReadGraph(ref JsonStream json, SpdxCollector collector, ref string? specVersion)
    {
        json.ReadRequired("$.@graph");
        if (json.TokenType != JsonTokenType.StartArray)
            throw new SbomFormatException("$.@graph", $"expected an array, found {JsonStream.Describe(json.TokenType)}");
        var element = new Element();
        for (var index = 0; NextItem(ref json); index++)
        {
            var path = $"$.@graph[{index}]";
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException(path, $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            element.Reset();
            ReadElement(ref json, element, path);
            specVersion ??= element.SpecVersion;
            Add(element, collector, path);
            if (element.Package.Id is not null && IsPackage(element.Type))
                element.Package = new SpdxPackage();
        }
    }

    private static void Add(Element element, SpdxCollector collector, string path)
    {
        var type = LocalName(element.Type);
        var id = element.Package.Id;
        if (IsPackage(element.Type))
        {
            if (string.IsNullOrEmpty(id))
                throw new SbomFormatException(path + ".spdxId", $"missing: every {type} needs an spdxId");
            if (string.IsNullOrWhiteSpace(element.Package.Name))
                throw new SbomFormatException(path + ".name", $"missing: package '{id}' has no name");
            collector.AddPackage(element.Package, new SbomLocation(path));
            return;
        }

        if (type.EndsWith("Relationship", StringComparison.Ordinal))
        {
            if (element.From is null || element.RelationshipType is null || element.To.Count == 0)
            {
                var missing = element.From is null ? "from" : element.RelationshipType is null ? "relationshipType" : "to";
                throw new SbomFormatException($"{path}.{missing}", "missing: a relationship names where it is from, its type and where it goes to");
            }

            // A vocabulary IRI (".../RelationshipType/dependsOn") names the same type as its last segment.
            var relationshipType = element.RelationshipType[(element.RelationshipType.LastIndexOf('/') + 1)..];
            foreach (var to in element.To)
                collector.AddRelationship(element.From, relationshipType, to, new SbomLocation(path), element.Scope);
            return;
        }

        if (string.IsNullOrEmpty(id))
            return;

        switch (type)
        {
            case "SpdxDocument":
                collector.AddDocument(id);
                collector.AddContainer(id, [.. element.RootElements]);
                collector.AddRoot(id);
                collector.Builder.Name ??= element.Package.Name;
                foreach (var imported in element.Imports)
                    collector.AddExternal(imported);
                break;
            case "Sbom" or "Bom" or "Bundle":
                collector.AddContainer(id, [.. element.RootElements]);
                break;
            case "LicenseExpression" when element.LicenseExpression is { } expression:
                collector.AddLicenseExpression(id, expression);
                break;
            case "Person" or "Organization" or "SoftwareAgent" or "Agent" or "Tool":
                collector.AddAgent(id, element.Package.Name);
                break;
            default:
                collector.AddNonComponent(id);
                break;
        }
    }

    private static void ReadElement(ref JsonStream json, Element element, string path)
    {
        var package = element.Package;
        while (NextProperty(ref json))
        {
            if (json.ValueTextEquals("type"u8) || json.ValueTextEquals("@type"u8))
                element.Type = ReadString(ref json, path + ".type");
            else if (json.ValueTextEquals("spdxId"u8) || json.ValueTextEquals("@id"u8))
                package.Id = ReadString(ref json, path + ".spdxId");
            else if (json.ValueTextEquals("name"u8))
                package.Name = ReadString(ref json, path + ".name");
            else if (json.ValueTextEquals("from"u8))
                element.From = ReadString(ref json, path + ".from");
            else if (json.ValueTextEquals("to"u8))
                ReadStrings(ref json, path + ".to", element.To);
            else if (json.ValueTextEquals("relationshipType"u8))
                element.RelationshipType = ReadString(ref json, path + ".relationshipType");
            else if (json.ValueTextEquals("scope"u8))
                element.Scope = ReadString(ref json, path + ".scope");
            else if (json.ValueTextEquals("software_packageVersion"u8) || json.ValueTextEquals("packageVersion"u8))
                package.Version = ReadString(ref json, path + ".software_packageVersion");
            else if (json.ValueTextEquals("software_packageUrl"u8) || json.ValueTextEquals("packageUrl"u8))
                package.PurlText = ReadString(ref json, path + ".software_packageUrl") ?? package.PurlText;
            else if (json.ValueTextEquals("software_primaryPurpose"u8) || json.ValueTextEquals("primaryPurpose"u8))
                package.Purpose = ReadString(ref json, path + ".software_primaryPurpose");
            else if (json.ValueTextEquals("software_downloadLocation"u8) || json.ValueTextEquals("downloadLocation"u8))
                package.SetDownloadLocation(ReadString(ref json, path + ".software_downloadLocation"));
            else if (json.ValueTextEquals("software_homePage"u8) || json.ValueTextEquals("homePage"u8))
                package.SetHomepage(ReadString(ref json, path + ".software_homePage"));
            else if (json.ValueTextEquals("suppliedBy"u8))
                package.Supplier = ReadString(ref json, path + ".suppliedBy");
            else if (json.ValueTextEquals("verifiedUsing"u8))
                ReadObjects(ref json, path + ".verifiedUsing", element, static (e, o) => e.Package.AddChecksum(o.Algorithm, o.Value));
            else if (json.ValueTextEquals("externalIdentifier"u8))
                ReadObjects(ref json, path + ".externalIdentifier", element, static (e, o) => e.Package.AddExternalIdentifier(o.Type, o.Value));
            else if (json.ValueTextEquals("externalRef"u8))
                ReadObjects(ref json, path + ".externalRef", element, static (e, o) => e.Package.AddExternalRef3(o.Type, o.Value));
            else if (json.ValueTextEquals("rootElement"u8))
                ReadStrings(ref json, path + ".rootElement", element.RootElements);
            else if (json.ValueTextEquals("import"u8))
                ReadObjects(ref json, path + ".import", element, static (e, o) => { if (o.Value is not null) e.Imports.Add(o.Value); });
            else if (json.ValueTextEquals("specVersion"u8))
                element.SpecVersion = ReadString(ref json, path + ".specVersion");
            else if (json.ValueTextEquals("creationInfo"u8))
                ReadCreationInfo(ref json, element, path + ".creationInfo");
            else if (json.ValueTextEquals("simplelicensing_licenseExpression"u8) || json.ValueTextEquals("licenseExpression"u8))
                element.LicenseExpression = ReadString(ref json, path + ".simplelicensing_licenseExpression");
            else
                json.Skip();
        }
    }

    /// <summary>A creationInfo is usually a reference ("_:creationinfo") but may be written inline, with the specVersion in it.</summary>
    private static void ReadCreationInfo(ref JsonStream json, Element element, string path)
    {
        json.ReadRequired(path);
        if (json.TokenType != JsonTokenType.StartObject)
        {
            json.Skip();
            return;
        }

        while (NextProperty(ref json))
        {
            if (json.ValueTextEquals("specVersion"u8))
                element.SpecVersion ??= ReadString(ref json, path + ".specVersion");
            else
                json.Skip();
        }
    }

    /// <summary>
    /// An array of small objects (hashes, identifiers, references, imports): the fields that matter are read
    /// into <see cref="NestedObject"/> whatever they are called in each, and handed to <paramref name="take"/>.
    /// </summary>
    private static void ReadObjects(ref JsonStream json, string path, Element element, Action<Element, NestedObject> take)
    {
        json.ReadRequired(path);
        if (json.TokenType == JsonTokenType.StartObject)
        {
            take(element, ReadObject(ref json, path));
            return;
        }

        if (json.TokenType != JsonTokenType.StartArray)
            throw new SbomFormatException(path, $"expected an array, found {JsonStream.Describe(json.TokenType)}");
        for (var index = 0; NextItem(ref json); index++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"{path}[{index}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            take(element, ReadObject(ref json, $"{path}[{index}]"));
        }
    }

    private static NestedObject ReadObject(ref JsonStream json, string path)
    {
        string? type = null, algorithm = null, value = null;
        while (NextProperty(ref json))
        {
            if (json.ValueTextEquals("externalIdentifierType"u8) || json.ValueTextEquals("externalRefType"u8))
                type = ReadString(ref json, path + ".type");
            else if (json.ValueTextEquals("algorithm"u8))
                algorithm = ReadString(ref json, path + ".algorithm");
            else if (json.ValueTextEquals("hashValue"u8) || json.ValueTextEquals("identifier"u8) || json.ValueTextEquals("externalSpdxId"u8))
                value = ReadString(ref json, path + ".value");
            else if (json.ValueTextEquals("locator"u8))
                value = ReadFirstString(ref json, path + ".locator");
            else
                json.Skip();
        }

        return new NestedObject(type, algorithm, value);
    }

    /// <summary>A string, or an array of them: JSON-LD writes a one-element list either way.</summary>
    private static void ReadStrings(ref JsonStream json, string path, List<string> into)
    {
        json.ReadRequired(path);
        if (json.TokenType == JsonTokenType.String)
        {
            into.Add(json.GetString(path)!);
            return;
        }

        if (json.TokenType != JsonTokenType.StartArray)
            throw new SbomFormatException(path, $"expected an array of element ids, found {JsonStream.Describe(json.TokenType)}");
        for (var index = 0; NextItem(ref json); index++)
        {
            if (json.TokenType != JsonTokenType.String)
                throw new SbomFormatException($"{path}[{index}]", $"expected an element id, found {JsonStream.Describe(json.TokenType)}");
            into.Add(json.GetString(path)!);
        }
    }

    private static string? ReadFirstString(ref JsonStream json, string path)
    {
        var values = new List<string>(1);
        ReadStrings(ref json, path, values);
        return values.Count > 0 ? values[0] : null;
    }

    private static string? ReadString(ref JsonStream json, string path)
    {
        json.ReadRequired(path);
        return json.TokenType switch
        {
            JsonTokenType.String => json.GetString(path),
            JsonTokenType.Null => null,
            _ => throw new SbomFormatException(path, $"expected a string, found {JsonStream.Describe(json.TokenType)}"),
        };
    }

    private static bool NextProperty(ref JsonStream json)
    {
        json.ReadRequired("$");
        return json.TokenType != JsonTokenType.EndObject;
    }

    private static bool NextItem(ref JsonStream json)
    {
        json.ReadRequired("$");
        return json.TokenType != JsonTokenType.EndArray;
    }

    private static bool IsPackage(string? type) => LocalName(type) is "Package" or "AIPackage" or "DatasetPackage";

    /// <summary>"software_Package", "Package" and ".../Software/Package" are all "Package"; "hasDynamicLink" stays itself.</summary>
    private static string LocalName(string? name)
    {
        if (name is null)
            return string.Empty;
        var slash = name.LastIndexOf('/');
        var local = slash >= 0 ? name[(slash + 1)..] : name;
        var underscore = local.IndexOf('_', StringComparison.Ordinal);
        return underscore >= 0 && underscore < local.Length - 1 && char.IsUpper(local[underscore + 1]) ? local[(underscore + 1)..] : local;
    }

    private readonly record struct NestedObject(string? Type, string? Algorithm, string? Value);

    /// <summary>Every property of an element Sustain uses, whatever the element turns out to be.</summary>
    private sealed class Element
    {
        public SpdxPackage Package { get; set; } = new();

        public string? Type { get; set; }

        public string? From { get; set; }

        public List<string> To { get; } = [];

        public string? RelationshipType { get; set; }

        public string? Scope { get; set; }

        public List<string> RootElements { get; } = [];

        public List<string> Imports { get; } = [];

        public string? SpecVersion { get; set; }

        public string? LicenseExpression { get; set; }

        public void Reset()
        {
            Package.Reset();
            Type = From = RelationshipType = Scope = SpecVersion = LicenseExpression = null;
            To.Clear();
            RootElements.Clear();
            Imports.Clear();
        }
    }
}
