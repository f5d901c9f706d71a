using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Sustain.Core.Sboms;

/// <summary>
/// SPDX 2.x JSON, read in one streaming pass. Only the fields Sustain uses are kept, as the document's
/// UTF-8; everything else is skipped unread. Files and snippets are not components: only their ids are
/// kept, so that relationships naming them can be told from dangling ones.
/// </summary>
internal static class SpdxJsonReader
{
    private const string DefaultDocumentId = "SPDXRef-DOCUMENT";

    /// <summary>Room, to begin with, for the short values a reader tests or looks up before deciding whether to keep them.</summary>
    private const int ScratchBytes = 256;

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
            var packages = new PackageBuffers();
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("packages"u8))
                    ReadPackages(ref json, collector, packages);
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

    /// <summary>
    /// Reads the packages straight into the builder, as the CycloneDX reader reads its components: names, versions,
    /// package URLs, hashes and locations go from the document's UTF-8 into the model's packed text, and no string or
    /// object is made for them. The rules a package's fields follow are <see cref="SpdxPackage"/>'s, the ones the
    /// tag-value and SPDX 3 readers apply.
    /// </summary>
    private static void ReadPackages(ref JsonStream json, SpdxCollector collector, PackageBuffers buffers)
    {
        var details = collector.Builder.Details;
        StartArray(ref json, "$.packages");
        for (var index = 0; NextItem(ref json); index++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"$.packages[{index}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            var idLength = -1;
            PackedText name = PackedText.None, version = PackedText.None, purl = PackedText.None;
            PackedText homepage = PackedText.None, download = PackedText.None;
            string? purpose = null, supplier = null;
            buffers.Licenses.Clear();
            var hashes = details.HashCount;
            while (NextProperty(ref json))
            {
                // Compared as a local, the name costs a length test for each property it is not; a package has a dozen.
                var property = json.PropertyName(ref buffers.Name);
                if (property.SequenceEqual("SPDXID"u8))
                    idLength = ReadUtf8(ref json, index, "SPDXID", ref buffers.Value, out var id) ? JsonStream.CopyOut(id, ref buffers.Id) : -1;
                else if (property.SequenceEqual("name"u8))
                    name = ReadUtf8(ref json, index, "name", ref buffers.Value, out var text) && !IsBlank(text) ? details.AddText(text) : PackedText.None;
                else if (property.SequenceEqual("versionInfo"u8))
                    version = ReadValue(ref json, index, "versionInfo", buffers, details);
                else if (property.SequenceEqual("externalRefs"u8))
                    ReadExternalRefs(ref json, index, buffers, details, ref purl);
                else if (property.SequenceEqual("licenseConcluded"u8))
                    SpdxPackage.AddLicense(buffers.Licenses, ReadValue(ref json, index, "licenseConcluded", collector.Strings));
                else if (property.SequenceEqual("licenseDeclared"u8))
                    SpdxPackage.AddLicense(buffers.Licenses, ReadValue(ref json, index, "licenseDeclared", collector.Strings));
                else if (property.SequenceEqual("checksums"u8))
                    ReadChecksums(ref json, index, buffers, details);
                else if (property.SequenceEqual("supplier"u8))
                    supplier = ReadValue(ref json, index, "supplier", collector.Strings);
                else if (property.SequenceEqual("downloadLocation"u8))
                    download = ReadValue(ref json, index, "downloadLocation", buffers, details);
                else if (property.SequenceEqual("homepage"u8))
                    homepage = ReadValue(ref json, index, "homepage", buffers, details);
                else if (property.SequenceEqual("primaryPackagePurpose"u8))
                    purpose = ReadString(ref json, index, "primaryPackagePurpose");
                else
                    json.Skip();
            }

            if (idLength < 0)
                throw new SbomFormatException($"$.packages[{index}].SPDXID", "missing: every package needs an SPDXID");
            var packageId = buffers.Id.AsSpan(0, idLength);
            if (!SpdxCollector.IsSpdxId(packageId))
                throw new SbomFormatException($"$.packages[{index}].SPDXID", $"'{Encoding.UTF8.GetString(packageId)}' is not valid: {SpdxCollector.SpdxIdRule}");
            if (name.IsNone)
                throw new SbomFormatException($"$.packages[{index}].name", $"missing: package '{Encoding.UTF8.GetString(packageId)}' has no name");

            var location = new SbomLocation("$.packages[", index, "]");
            var references = details.ReferenceCount;
            if (!homepage.IsNone)
                details.AddReference(ExternalReference.Website, homepage);
            if (!download.IsNone)
                details.AddReference(SpdxPackage.IsVcs(details.Utf8(download)) ? ExternalReference.Vcs : ExternalReference.Distribution, download);
            collector.AddPackage(packageId, new ComponentRecord
            {
                Name = name,
                Version = version,
                Type = details.Value(collector.Purpose(purpose, location)),
                PurlText = purl,
                Licenses = details.Licenses(buffers.Licenses),
                Hashes = new PackedRange(hashes, details.HashCount - hashes),
                Supplier = details.Keep(SpdxPackage.SupplierName(supplier)),
                References = new PackedRange(references, details.ReferenceCount - references),
            }, location);
        }
    }

    /// <summary>Only the first package-manager purl is kept; a locator is copied only while its reference may still be one (SECURITY cpe references, as common as purls, cost nothing).</summary>
    private static void ReadExternalRefs(ref JsonStream json, int index, PackageBuffers buffers, SbomComponentDetails details, ref PackedText purl)
    {
        StartArray(ref json, index, "externalRefs");
        for (var item = 0; NextItem(ref json); item++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"$.packages[{index}].externalRefs[{item}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            var locatorLength = -1;
            bool? isPurlType = null, isPurlCategory = null;
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("referenceCategory"u8))
                {
                    ExpectString(ref json, index, "externalRefs", item, "referenceCategory");
                    isPurlCategory = SpdxPackage.IsPurlReference(json.Utf8String(ref buffers.Value), "purl"u8);
                }
                else if (json.ValueTextEquals("referenceType"u8))
                {
                    ExpectString(ref json, index, "externalRefs", item, "referenceType");
                    isPurlType = Ascii.EqualsIgnoreCase(json.Utf8String(ref buffers.Value), "purl"u8);
                }
                else if (json.ValueTextEquals("referenceLocator"u8))
                {
                    var mayBePurl = purl.IsNone && isPurlType != false && isPurlCategory != false;
                    locatorLength = ReadUtf8(ref json, index, "referenceLocator", ref buffers.Value, out var locator, "externalRefs", item) && mayBePurl
                        ? JsonStream.CopyOut(locator, ref buffers.Locator)
                        : -1;
                }
                else
                {
                    json.Skip();
                }
            }

            if (isPurlType == true && isPurlCategory == true && locatorLength >= 0 && purl.IsNone
                && Trimmed(buffers.Locator.AsSpan(0, locatorLength)) is { IsEmpty: false } written)
                purl = details.AddText(written);
        }
    }

    /// <summary>Each checksum straight into the document's packed details, in CycloneDX's name for its algorithm.</summary>
    private static void ReadChecksums(ref JsonStream json, int index, PackageBuffers buffers, SbomComponentDetails details)
    {
        StartArray(ref json, index, "checksums");
        for (var item = 0; NextItem(ref json); item++)
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException($"$.packages[{index}].checksums[{item}]", $"expected an object, found {JsonStream.Describe(json.TokenType)}");
            string? algorithm = null;
            var valueLength = 0;
            while (NextProperty(ref json))
            {
                if (json.ValueTextEquals("algorithm"u8))
                {
                    ExpectString(ref json, index, "checksums", item, "algorithm");
                    algorithm = buffers.Algorithm(json.Utf8String(ref buffers.Value));
                }
                else if (json.ValueTextEquals("checksumValue"u8))
                {
                    valueLength = ReadUtf8(ref json, index, "checksumValue", ref buffers.Value, out var value, "checksums", item) ? JsonStream.CopyOut(value, ref buffers.Checksum) : 0;
                }
                else
                {
                    json.Skip();
                }
            }

            var content = Trimmed(buffers.Checksum.AsSpan(0, valueLength));
            if (algorithm is not null && !content.IsEmpty)
                details.AddHash(algorithm, content);
        }
    }

    /// <summary>
    /// A package field whose SPDX keywords NOASSERTION and NONE mean "no value" (a version, a location), kept in the
    /// document's packed text; none for null, empty or a keyword.
    /// </summary>
    private static PackedText ReadValue(ref JsonStream json, int package, string field, PackageBuffers buffers, SbomComponentDetails details) =>
        ReadUtf8(ref json, package, field, ref buffers.Value, out var value) && !value.IsEmpty && !SpdxPackage.IsNoValue(value)
            ? details.AddText(value)
            : PackedText.None;

    private static ReadOnlySpan<byte> Trimmed(ReadOnlySpan<byte> utf8) => utf8[Ascii.Trim(utf8)];

    private static readonly SearchValues<byte> AsciiWhiteSpace = SearchValues.Create(" \t\r\n\v\f"u8);

    /// <summary>Whether text is empty or only white space, which for a name is as good as none.</summary>
    private static bool IsBlank(ReadOnlySpan<byte> utf8)
    {
        var first = utf8.IndexOfAnyExcept(AsciiWhiteSpace);
        return first < 0 || (utf8[first] >= 0x80 && string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(utf8)));
    }

    /// <summary>What one reading of the packages reuses from one package to the next.</summary>
    private sealed class PackageBuffers
    {
        public readonly List<string> Licenses = [];
        public byte[] Name = new byte[ScratchBytes];
        public byte[] Value = new byte[ScratchBytes];
        public byte[] Id = new byte[ScratchBytes];
        public byte[] Locator = new byte[ScratchBytes];
        public byte[] Checksum = new byte[ScratchBytes];

        private readonly LastValue<string?> _lastAlgorithm = new(32);

        /// <summary>A checksum algorithm in CycloneDX's spelling (see <see cref="SpdxPackage.HashAlgorithm"/>); null for none.</summary>
        public string? Algorithm(ReadOnlySpan<byte> written)
        {
            if (_lastAlgorithm.TryGet(written, out var last))
                return last;
            var text = Encoding.UTF8.GetString(written);
            return _lastAlgorithm.Remember(written, string.IsNullOrWhiteSpace(text) ? null : SpdxPackage.HashAlgorithm(text));
        }
    }

    /// <summary>The ends and the type are handed over as the document's UTF-8, so the collector resolves each end with one lookup and no string.</summary>
    private static void ReadRelationships(ref JsonStream json, SpdxCollector collector)
    {
        var fromScratch = new byte[ScratchBytes];
        var toScratch = new byte[ScratchBytes];
        var typeScratch = new byte[ScratchBytes];
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

    /// <summary>
    /// A string of a relationship, as UTF-8, copied into <paramref name="scratch"/> (grown as needed) to outlive the next read;
    /// its length returned. The collector checks it to be UTF-8 when it is not text it knows (see <see cref="SpdxCollector.AddRelationship(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, SbomLocation, string?)"/>).
    /// </summary>
    private static int ReadId(ref JsonStream json, int index, string field, ref byte[] scratch)
    {
        ExpectString(ref json, "$.relationships", index, field);
        return JsonStream.CopyOut(json.UncheckedUtf8String(ref scratch), ref scratch);
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

    /// <summary>
    /// A package field whose SPDX keywords NOASSERTION and NONE mean "no value" (a licence, a supplier): those are
    /// recognised where they stand, since most packages of most tools say NOASSERTION somewhere; any other value is one
    /// string for each the document repeats, through <paramref name="pool"/>.
    /// </summary>
    private static string? ReadValue(ref JsonStream json, int package, string field, StringPool pool)
    {
        json.ReadRequired("$");
        if (json.TokenType == JsonTokenType.String && (json.ValueTextEquals("NOASSERTION"u8) || json.ValueTextEquals("NONE"u8)))
            return null;
        return json.TokenType switch
        {
            JsonTokenType.String => json.GetPooledString(pool),
            JsonTokenType.Null => null,
            _ => throw new SbomFormatException($"$.packages[{package}].{field}", $"expected a string, found {JsonStream.Describe(json.TokenType)}"),
        };
    }

    /// <summary>
    /// A package field's string as the document's UTF-8 (see <see cref="JsonStream.Utf8String"/>); false for null. A field
    /// of an item of one of the package's arrays names the <paramref name="array"/> and the <paramref name="item"/>.
    /// </summary>
    private static bool ReadUtf8(ref JsonStream json, int package, string field, ref byte[] scratch, out ReadOnlySpan<byte> value, string? array = null, int item = 0)
    {
        json.ReadRequired("$");
        value = default;
        if (json.TokenType == JsonTokenType.Null)
            return false;
        if (json.TokenType != JsonTokenType.String)
        {
            var path = array is null ? $"$.packages[{package}].{field}" : $"$.packages[{package}].{array}[{item}].{field}";
            throw new SbomFormatException(path, $"expected a string, found {JsonStream.Describe(json.TokenType)}");
        }

        value = json.Utf8String(ref scratch);
        return true;
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
