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

    /// <summary>Room for the short values a reader tests or looks up before deciding whether to keep them.</summary>
    private const int ScratchChars = 256;

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
        Span<char> scratch = stackalloc char[ScratchChars];
        var text = new char[ScratchChars];
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
                    package.Version = ReadString(ref json, index, "versionInfo", collector.Strings);
                else if (json.ValueTextEquals("externalRefs"u8))
                    ReadExternalRefs(ref json, package, index, scratch);
                else if (json.ValueTextEquals("licenseConcluded"u8))
                    package.AddLicense(ReadValue(ref json, index, "licenseConcluded", collector.Strings));
                else if (json.ValueTextEquals("licenseDeclared"u8))
                    package.AddLicense(ReadValue(ref json, index, "licenseDeclared", collector.Strings));
                else if (json.ValueTextEquals("checksums"u8))
                    ReadChecksums(ref json, package, index, scratch, ref text);
                else if (json.ValueTextEquals("supplier"u8))
                    package.Supplier = ReadValue(ref json, index, "supplier", collector.Strings);
                else if (json.ValueTextEquals("downloadLocation"u8))
                    package.SetDownloadLocation(ReadText(ref json, index, "downloadLocation", ref text));
                else if (json.ValueTextEquals("homepage"u8))
                    package.SetHomepage(ReadText(ref json, index, "homepage", ref text));
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
            collector.AddPackage(package, new SbomLocation("$.packages[", index, "]"));
        }
    }

    /// <summary>
    /// Only a package-manager purl is kept, so category and type are tested where they stand and a
    /// locator is turned into a string only while the reference may still be a purl (SECURITY cpe
    /// references, as common as purls, cost nothing).
    /// </summary>
    private static void ReadExternalRefs(ref JsonStream json, SpdxPackage package, int index, scoped Span<char> scratch)
    {
        StartArray(ref json, index, "externalRefs");
        Span<char> category = stackalloc char[32];
        for (var item = 0; NextItem(ref json); item++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"$.packages[{index}].externalRefs[{item}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            int? categoryLength = null;
            bool? isPurlType = null;
            string? locator = null;
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("referenceCategory"u8))
                {
                    ExpectString(ref json, index, "externalRefs", item, "referenceCategory");
                    categoryLength = json.TryCopyString(category, out var written) ? written : 0;
                }
                else if (json.ValueTextEquals("referenceType"u8))
                {
                    ExpectString(ref json, index, "externalRefs", item, "referenceType");
                    isPurlType = json.TryCopyString(scratch, out var written) && SpdxPackage.IsPurlReference("PACKAGE-MANAGER", scratch[..written]);
                }
                else if (json.ValueTextEquals("referenceLocator"u8))
                {
                    var mayBePurl = isPurlType != false && (categoryLength is not { } length || SpdxPackage.IsPurlReference(category[..length], "purl"));
                    if (mayBePurl && package.PurlText is null)
                        locator = ReadString(ref json, index, "externalRefs", item, "referenceLocator");
                    else
                        ExpectString(ref json, index, "externalRefs", item, "referenceLocator");
                }
                else
                {
                    json.Skip();
                }
            }

            if (isPurlType == true && categoryLength is { } known && SpdxPackage.IsPurlReference(category[..known], "purl"))
                package.AddPurl(locator);
        }
    }

    private static void ReadChecksums(ref JsonStream json, SpdxPackage package, int index, scoped Span<char> scratch, ref char[] text)
    {
        StartArray(ref json, index, "checksums");
        for (var item = 0; NextItem(ref json); item++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"$.packages[{index}].checksums[{item}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            var algorithm = 0;
            var value = 0;
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("algorithm"u8))
                {
                    ExpectString(ref json, index, "checksums", item, "algorithm");
                    algorithm = json.TryCopyString(scratch, out var written) ? written : 0;
                }
                else if (json.ValueTextEquals("checksumValue"u8))
                {
                    value = ReadText(ref json, index, "checksums", item, "checksumValue", ref text);
                }
                else
                {
                    json.Skip();
                }
            }

            package.AddChecksum(scratch[..algorithm], text.AsSpan(0, value));
        }
    }

    /// <summary>The ends and the type are handed over as the document's UTF-8, so the collector resolves each end with one lookup and no string.</summary>
    private static void ReadRelationships(ref JsonStream json, SpdxCollector collector)
    {
        var fromScratch = new byte[ScratchChars];
        var toScratch = new byte[ScratchChars];
        var typeScratch = new byte[ScratchChars];
        StartArray(ref json, "$.relationships");
        for (var index = 0; NextItem(ref json); index++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"$.relationships[{index}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            int fromLength = -1, toLength = -1, typeLength = -1;
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("spdxElementId"u8))
                    fromLength = ReadId(ref json, index, "spdxElementId", ref fromScratch);
                else if (json.ValueTextEquals("relatedSpdxElement"u8))
                    toLength = ReadId(ref json, index, "relatedSpdxElement", ref toScratch);
                else if (json.ValueTextEquals("relationshipType"u8))
                    typeLength = ReadId(ref json, index, "relationshipType", ref typeScratch);
                else
                    json.Skip();
            }

            if (fromLength < 0 || typeLength < 0 || toLength < 0)
            {
                var missing = fromLength < 0 ? "spdxElementId" : toLength < 0 ? "relatedSpdxElement" : "relationshipType";
                throw new SbomFormatException($"$.relationships[{index}].{missing}", "missing: a relationship names an element, a type and a related element");
            }

            collector.AddRelationship(
                fromScratch.AsSpan(0, fromLength),
                typeScratch.AsSpan(0, typeLength),
                toScratch.AsSpan(0, toLength),
                new SbomLocation("$.relationships[", index, "]"));
        }
    }

    /// <summary>A string of a relationship, as UTF-8, copied into <paramref name="scratch"/> (grown as needed) to outlive the next read; its length returned.</summary>
    private static int ReadId(ref JsonStream json, int index, string field, ref byte[] scratch)
    {
        ExpectString(ref json, "$.relationships", index, field);
        return JsonStream.CopyOut(json.Utf8String(ref scratch), ref scratch);
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
                if (json.ValueTextEquals("SPDXID"u8))
                {
                    if (ReadString(ref json, $"$.{array}[{index}].SPDXID") is { } id)
                        collector.AddNonComponent(id);
                }
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
    /// <param name="pool">For values that documents repeat (versions, licences): one string for each.</param>
    private static string? ReadString(ref JsonStream json, int package, string field, StringPool? pool = null)
    {
        json.ReadRequired("$");
        return json.TokenType switch
        {
            JsonTokenType.String => pool is null ? json.GetString(string.Empty) : json.GetPooledString(pool),
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

    /// <summary>
    /// A package field whose SPDX keywords NOASSERTION and NONE mean "no value": those are recognised
    /// where they stand, since most packages of most tools say NOASSERTION somewhere.
    /// </summary>
    private static string? ReadValue(ref JsonStream json, int package, string field, StringPool? pool = null)
    {
        json.ReadRequired("$");
        if (json.TokenType == JsonTokenType.String && (json.ValueTextEquals("NOASSERTION"u8) || json.ValueTextEquals("NONE"u8)))
            return null;
        return json.TokenType switch
        {
            JsonTokenType.String => pool is null ? json.GetString(string.Empty) : json.GetPooledString(pool),
            JsonTokenType.Null => null,
            _ => throw new SbomFormatException($"$.packages[{package}].{field}", $"expected a string, found {JsonStream.Describe(json.TokenType)}"),
        };
    }

    /// <summary>
    /// A string copied into <paramref name="text"/> (grown when it is too small) rather than made a string, for
    /// text the package copies anyway; empty for null. Valid until the next read into the same buffer.
    /// </summary>
    private static ReadOnlySpan<char> ReadText(ref JsonStream json, int package, string field, ref char[] text)
    {
        json.ReadRequired("$");
        var length = json.TokenType switch
        {
            JsonTokenType.String => CopyText(ref json, ref text),
            JsonTokenType.Null => 0,
            _ => throw new SbomFormatException($"$.packages[{package}].{field}", $"expected a string, found {JsonStream.Describe(json.TokenType)}"),
        };
        return text.AsSpan(0, length);
    }

    /// <returns>The length of the text, 0 for null.</returns>
    private static int ReadText(ref JsonStream json, int package, string array, int item, string field, ref char[] text)
    {
        json.ReadRequired("$");
        return json.TokenType switch
        {
            JsonTokenType.String => CopyText(ref json, ref text),
            JsonTokenType.Null => 0,
            _ => throw new SbomFormatException($"$.packages[{package}].{array}[{item}].{field}", $"expected a string, found {JsonStream.Describe(json.TokenType)}"),
        };
    }

    private static int CopyText(ref JsonStream json, ref char[] text)
    {
        if (json.ValueLength > text.Length)
            text = new char[Math.Max(json.ValueLength, text.Length * 2)];
        json.TryCopyString(text, out var written);
        return written;
    }

    private static void ExpectString(ref JsonStream json, int package, string array, int item, string field)
    {
        json.ReadRequired("$");
        if (json.TokenType != JsonTokenType.String)
            throw new SbomFormatException($"$.packages[{package}].{array}[{item}].{field}", $"expected a string, found {JsonStream.Describe(json.TokenType)}");
    }

    private static void ExpectString(ref JsonStream json, string array, int index, string field)
    {
        json.ReadRequired("$");
        if (json.TokenType != JsonTokenType.String)
            throw new SbomFormatException($"{array}[{index}].{field}", $"expected a string, found {JsonStream.Describe(json.TokenType)}");
    }
}
