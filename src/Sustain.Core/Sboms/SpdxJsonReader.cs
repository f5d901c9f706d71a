using System.Text.Json;

namespace Sustain.Core.Sboms;

/// <summary>
/// SPDX 2.x JSON, read in one streaming pass. Only the fields Sustain uses are turned into strings;
/// everything else is skipped unread. Files and snippets are not components: only their ids are kept,
/// so that relationships naming them can be told from dangling ones.
/// </summary>
internal static class SpdxJsonReader
{
    private const string DefaultDocumentId = "SPDXRef-DOCUMENT";

    public static SbomDocument Read(Stream stream, SbomReaderOptions options)
    {
        var builder = new SbomBuilder(SbomFormat.SpdxJson, options);
        var collector = new SpdxCollector(builder, spdx3: false);
        var json = new JsonStream(stream, options);
        try
        {
            json.ReadRequired("$");
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException("$", $"expected an object, found {JsonStream.Describe(json.TokenType)}");

            string? version = null;
            string? documentId = null;
            var package = new SpdxPackage();
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("packages"u8))
                    ReadPackages(ref json, collector, package);
                else if (json.ValueTextEquals("relationships"u8))
                    ReadRelationships(ref json, collector);
                else if (json.ValueTextEquals("files"u8))
                    ReadElementIds(ref json, collector, "files");
                else if (json.ValueTextEquals("snippets"u8))
                    ReadElementIds(ref json, collector, "snippets");
                else if (json.ValueTextEquals("documentDescribes"u8))
                    ReadDescribes(ref json, collector);
                else if (json.ValueTextEquals("spdxVersion"u8))
                    version = ReadVersion(ref json, builder);
                else if (json.ValueTextEquals("SPDXID"u8))
                    documentId = ReadDocumentId(ref json);
                else if (json.ValueTextEquals("name"u8))
                    builder.Name = ReadString(ref json, "$.name");
                else
                    json.Skip();
            }

            if (version is null)
                throw new SbomFormatException("$.spdxVersion", "missing: an SPDX document states its version (\"spdxVersion\": \"SPDX-2.3\")");
            builder.SpecVersion = version;
            collector.AddDocument(documentId ?? DefaultDocumentId);
            return collector.Build();
        }
        finally
        {
            json.Dispose();
        }
    }

    private static string ReadVersion(ref JsonStream json, SbomBuilder builder)
    {
        var written = ReadString(ref json, "$.spdxVersion") ?? throw new SbomFormatException("$.spdxVersion", "must not be null");
        var version = SpdxCollector.Spdx2Version(written, out var warning)
            ?? throw new SbomFormatException("$.spdxVersion", $"'{written}' is not a version Sustain reads: SPDX JSON from SPDX-2.0 to SPDX-2.3 (SPDX 3 is read as JSON-LD)");
        if (warning is not null)
            builder.Warn("$.spdxVersion", warning);
        return version;
    }

    private static string ReadDocumentId(ref JsonStream json)
    {
        var id = ReadString(ref json, "$.SPDXID") ?? string.Empty;
        if (!SpdxCollector.IsSpdxId(id))
            throw new SbomFormatException("$.SPDXID", $"'{id}' is not a valid document identifier: {SpdxCollector.SpdxIdRule}");
        return id;
    }

    private static void ReadPackages(ref JsonStream json, SpdxCollector collector, SpdxPackage package)
    {
        StartArray(ref json, "$.packages");
        for (var index = 0; NextItem(ref json); index++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"$.packages[{index}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            package.Reset();
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("SPDXID"u8))
                    package.Id = ReadString(ref json, index, "SPDXID");
                else if (json.ValueTextEquals("name"u8))
                    package.Name = ReadString(ref json, index, "name");
                else if (json.ValueTextEquals("versionInfo"u8))
                    package.Version = ReadString(ref json, index, "versionInfo");
                else if (json.ValueTextEquals("externalRefs"u8))
                    ReadExternalRefs(ref json, package, index);
                else if (json.ValueTextEquals("licenseConcluded"u8))
                    package.AddLicense(ReadString(ref json, index, "licenseConcluded"));
                else if (json.ValueTextEquals("licenseDeclared"u8))
                    package.AddLicense(ReadString(ref json, index, "licenseDeclared"));
                else if (json.ValueTextEquals("checksums"u8))
                    ReadChecksums(ref json, package, index);
                else if (json.ValueTextEquals("supplier"u8))
                    package.Supplier = ReadString(ref json, index, "supplier");
                else if (json.ValueTextEquals("downloadLocation"u8))
                    package.DownloadLocation = ReadString(ref json, index, "downloadLocation");
                else if (json.ValueTextEquals("homepage"u8))
                    package.Homepage = ReadString(ref json, index, "homepage");
                else if (json.ValueTextEquals("primaryPackagePurpose"u8))
                    package.Purpose = ReadString(ref json, index, "primaryPackagePurpose");
                else
                    json.Skip();
            }

            if (package.Id is null)
                throw new SbomFormatException($"$.packages[{index}].SPDXID", "missing: every package needs an SPDXID");
            if (!SpdxCollector.IsSpdxId(package.Id))
                throw new SbomFormatException($"$.packages[{index}].SPDXID", $"'{package.Id}' is not valid: {SpdxCollector.SpdxIdRule}");
            if (string.IsNullOrWhiteSpace(package.Name))
                throw new SbomFormatException($"$.packages[{index}].name", $"missing: package '{package.Id}' has no name");
            collector.AddPackage(package, $"$.packages[{index}]");
        }
    }

    private static void ReadExternalRefs(ref JsonStream json, SpdxPackage package, int index)
    {
        StartArray(ref json, index, "externalRefs");
        for (var item = 0; NextItem(ref json); item++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"$.packages[{index}].externalRefs[{item}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            string? category = null, type = null, locator = null;
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("referenceCategory"u8))
                    category = ReadString(ref json, index, "externalRefs", item, "referenceCategory");
                else if (json.ValueTextEquals("referenceType"u8))
                    type = ReadString(ref json, index, "externalRefs", item, "referenceType");
                else if (json.ValueTextEquals("referenceLocator"u8))
                    locator = ReadString(ref json, index, "externalRefs", item, "referenceLocator");
                else
                    json.Skip();
            }

            package.AddExternalRef(category, type, locator);
        }
    }

    private static void ReadChecksums(ref JsonStream json, SpdxPackage package, int index)
    {
        StartArray(ref json, index, "checksums");
        for (var item = 0; NextItem(ref json); item++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"$.packages[{index}].checksums[{item}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            string? algorithm = null, value = null;
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("algorithm"u8))
                    algorithm = ReadString(ref json, index, "checksums", item, "algorithm");
                else if (json.ValueTextEquals("checksumValue"u8))
                    value = ReadString(ref json, index, "checksums", item, "checksumValue");
                else
                    json.Skip();
            }

            package.AddChecksum(algorithm, value);
        }
    }

    private static void ReadRelationships(ref JsonStream json, SpdxCollector collector)
    {
        StartArray(ref json, "$.relationships");
        for (var index = 0; NextItem(ref json); index++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"$.relationships[{index}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            string? from = null, type = null, to = null;
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("spdxElementId"u8))
                    from = ReadRelationshipString(ref json, index, "spdxElementId");
                else if (json.ValueTextEquals("relatedSpdxElement"u8))
                    to = ReadRelationshipString(ref json, index, "relatedSpdxElement");
                else if (json.ValueTextEquals("relationshipType"u8))
                    type = ReadRelationshipString(ref json, index, "relationshipType");
                else
                    json.Skip();
            }

            if (from is null || type is null || to is null)
            {
                var missing = from is null ? "spdxElementId" : type is null ? "relationshipType" : "relatedSpdxElement";
                throw new SbomFormatException($"$.relationships[{index}].{missing}", "missing: a relationship names an element, a type and a related element");
            }

            collector.AddRelationship(from, type, to, $"$.relationships[{index}]");
        }
    }

    /// <summary>Files and snippets: only their ids matter, so that relationships naming them are not taken for dangling ones.</summary>
    private static void ReadElementIds(ref JsonStream json, SpdxCollector collector, string array)
    {
        StartArray(ref json, "$." + array);
        for (var index = 0; NextItem(ref json); index++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"$.{array}[{index}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("SPDXID"u8) && ReadString(ref json, $"$.{array}[{index}].SPDXID") is { } id)
                    collector.AddNonComponent(id);
                else
                    json.Skip();
            }
        }
    }

    private static void ReadDescribes(ref JsonStream json, SpdxCollector collector)
    {
        StartArray(ref json, "$.documentDescribes");
        for (var index = 0; NextItem(ref json); index++)
        {
            if (json.TokenType != JsonTokenType.String)
                throw new SbomFormatException($"$.documentDescribes[{index}]", $"expected a string, found {JsonStream.Describe(json.TokenType)}");
            collector.AddRoot(json.GetString(string.Empty)!);
        }
    }

    /// <summary>Moves to the next property of the current object; false at its end.</summary>
    private static bool NextProperty(ref JsonStream json)
    {
        json.ReadRequired("$");
        return json.TokenType != JsonTokenType.EndObject;
    }

    /// <summary>Moves to the next item of the current array; false at its end.</summary>
    private static bool NextItem(ref JsonStream json)
    {
        json.ReadRequired("$");
        return json.TokenType != JsonTokenType.EndArray;
    }

    private static void StartArray(ref JsonStream json, string path)
    {
        json.ReadRequired(path);
        if (json.TokenType != JsonTokenType.StartArray)
            throw new SbomFormatException(path, $"expected an array, found {JsonStream.Describe(json.TokenType)}");
    }

    private static void StartArray(ref JsonStream json, int package, string field)
    {
        json.ReadRequired("$");
        if (json.TokenType != JsonTokenType.StartArray)
            throw new SbomFormatException($"$.packages[{package}].{field}", $"expected an array, found {JsonStream.Describe(json.TokenType)}");
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

    // The paths below are built only when they are needed, for an error: a package has a dozen fields and a document may have 100,000 packages.
    private static string? ReadString(ref JsonStream json, int package, string field)
    {
        json.ReadRequired("$");
        return json.TokenType switch
        {
            JsonTokenType.String => json.GetString(string.Empty),
            JsonTokenType.Null => null,
            _ => throw new SbomFormatException($"$.packages[{package}].{field}", $"expected a string, found {JsonStream.Describe(json.TokenType)}"),
        };
    }

    private static string? ReadString(ref JsonStream json, int package, string array, int item, string field)
    {
        json.ReadRequired("$");
        return json.TokenType switch
        {
            JsonTokenType.String => json.GetString(string.Empty),
            JsonTokenType.Null => null,
            _ => throw new SbomFormatException($"$.packages[{package}].{array}[{item}].{field}", $"expected a string, found {JsonStream.Describe(json.TokenType)}"),
        };
    }

    private static string? ReadRelationshipString(ref JsonStream json, int index, string field)
    {
        json.ReadRequired("$");
        return json.TokenType switch
        {
            JsonTokenType.String => json.GetString(string.Empty),
            JsonTokenType.Null => null,
            _ => throw new SbomFormatException($"$.relationships[{index}].{field}", $"expected a string, found {JsonStream.Describe(json.TokenType)}"),
        };
    }
}
