using System.Text;

namespace Sustain.Core.Sboms;

/// <summary>
/// SPDX 2.x tag-value: one "Tag: value" a line, multi-line values between &lt;text&gt; and &lt;/text&gt;,
/// '#' comments. A package runs from its PackageName to the next PackageName, FileName, snippet or
/// licence; the SPDXID before any of them is the document's.
/// </summary>
internal static class SpdxTagValueReader
{
    private enum Section
    {
        Document,
        Package,
        File,
        Snippet,
        License,
    }

    public static SbomDocument Read(Stream stream, SbomReaderOptions options)
    {
        var builder = new SbomBuilder(SbomFormat.SpdxTagValue, options);
        var collector = new SpdxCollector(builder, spdx3: false);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var lines = new Lines(reader);

        string? version = null;
        string? documentId = null;
        var section = Section.Document;
        var package = new SpdxPackage();
        var packageLine = 0;

        void FinishPackage()
        {
            if (section != Section.Package)
                return;
            if (package.Id is null)
                throw new SbomFormatException($"line {packageLine}", $"package '{package.Name}' has no SPDXID");
            collector.AddPackage(package, new SbomLocation("line ", packageLine));
            package.Reset();
        }

        while (lines.Next(out var tag, out var value))
        {
            var line = lines.Number;
            switch (tag)
            {
                case "SPDXVersion":
                    version = SpdxCollector.Spdx2Version(value, out var warning)
                        ?? throw new SbomFormatException($"line {line}", $"SPDXVersion '{value}' is not a version Sustain reads: SPDX-2.0 to SPDX-2.3");
                    if (warning is not null)
                        builder.Warn($"line {line}", warning);
                    break;
                case "DocumentName" when section == Section.Document:
                    builder.Name = value;
                    break;
                case "SPDXID":
                    ReadSpdxId(value, line);
                    break;
                case "PackageName":
                    FinishPackage();
                    section = Section.Package;
                    packageLine = line;
                    if (value.Length == 0)
                        throw new SbomFormatException($"line {line}", "PackageName is empty: every package needs a name");
                    package.Name = value;
                    break;
                case "FileName":
                    FinishPackage();
                    section = Section.File;
                    break;
                case "SnippetSPDXID":
                    FinishPackage();
                    section = Section.Snippet;
                    collector.AddNonComponent(value);
                    break;
                case "LicenseID":
                    FinishPackage();
                    section = Section.License;
                    break;
                case "Relationship":
                    var parts = value.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length < 3)
                        throw new SbomFormatException($"line {line}", $"a relationship is 'element TYPE element', found '{value}'");
                    collector.AddRelationship(parts[0], parts[1], parts[2], new SbomLocation("line ", line));
                    break;
                default:
                    if (section == Section.Package)
                        ReadPackageField(package, tag, value);
                    break;
            }
        }

        FinishPackage();
        if (version is null)
            throw new SbomFormatException("line 1", "SPDXVersion is missing: an SPDX document states its version (SPDXVersion: SPDX-2.3)");
        builder.SpecVersion = version;
        collector.AddDocument(documentId ?? "SPDXRef-DOCUMENT");
        return collector.Build();

        void ReadSpdxId(string id, int line)
        {
            switch (section)
            {
                case Section.Document:
                    if (!SpdxCollector.IsSpdxId(id))
                        throw new SbomFormatException($"line {line}", $"'{id}' is not a valid document identifier: {SpdxCollector.SpdxIdRule}");
                    documentId ??= id;
                    break;
                case Section.Package:
                    if (!SpdxCollector.IsSpdxId(id))
                        throw new SbomFormatException($"line {line}", $"'{id}' is not valid: {SpdxCollector.SpdxIdRule}");
                    if (package.Id is not null)
                        throw new SbomFormatException($"line {line}", $"package '{package.Name}' has a second SPDXID '{id}'");
                    package.Id = id;
                    break;
                case Section.File:
                    collector.AddNonComponent(id);
                    break;
            }
        }
    }

    private static void ReadPackageField(SpdxPackage package, string tag, string value)
    {
        switch (tag)
        {
            case "PackageVersion":
                package.Version = value;
                break;
            case "PackageSupplier":
                package.Supplier = value;
                break;
            case "PackageDownloadLocation":
                package.SetDownloadLocation(value);
                break;
            case "PackageHomePage":
                package.SetHomepage(value);
                break;
            case "PrimaryPackagePurpose":
                package.Purpose = value;
                break;
            case "PackageLicenseConcluded":
            case "PackageLicenseDeclared":
                package.AddLicense(value);
                break;
            case "PackageChecksum":
                var colon = value.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                    package.AddChecksum(value.AsSpan(0, colon), value.AsSpan(colon + 1));
                break;
            case "ExternalRef":
                var parts = value.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 3)
                    package.AddExternalRef(parts[0], parts[1], parts[2]);
                break;
        }
    }

    /// <summary>The document's "Tag: value" pairs, one per line or spanning lines inside &lt;text&gt;, with line numbers for errors.</summary>
    private sealed class Lines(StreamReader reader)
    {
        private const string TextStart = "<text>";
        private const string TextEnd = "</text>";

        /// <summary>The line the current pair starts on, from 1.</summary>
        public int Number { get; private set; }

        private int _read;

        public bool Next(out string tag, out string value)
        {
            while (reader.ReadLine() is { } line)
            {
                Number = ++_read;
                var text = line.AsSpan().Trim();
                if (text.IsEmpty || text[0] == '#')
                    continue;
                var colon = text.IndexOf(':');
                if (colon <= 0)
                    throw new SbomFormatException($"line {Number}", $"expected 'Tag: value', found '{Shorten(text)}'");
                tag = text[..colon].TrimEnd().ToString();
                var rest = text[(colon + 1)..].Trim();
                value = rest.StartsWith(TextStart, StringComparison.Ordinal) ? ReadText(rest[TextStart.Length..]) : rest.ToString();
                return true;
            }

            tag = value = string.Empty;
            return false;
        }

        private string ReadText(ReadOnlySpan<char> first)
        {
            var end = first.IndexOf(TextEnd, StringComparison.Ordinal);
            if (end >= 0)
                return first[..end].Trim().ToString();

            var start = Number;
            var text = new StringBuilder().Append(first);
            while (reader.ReadLine() is { } line)
            {
                _read++;
                end = line.IndexOf(TextEnd, StringComparison.Ordinal);
                text.Append('\n').Append(end >= 0 ? line.AsSpan(0, end) : line);
                if (end >= 0)
                    return text.ToString().Trim();
            }

            throw new SbomFormatException($"line {start}", "<text> is never closed by </text>");
        }

        private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 60 ? text.ToString() : string.Concat(text[..60], "…");
    }
}
