using System.Xml;

namespace Sustain.Core.Sboms;

/// <summary>
/// Reads CycloneDX XML 1.0 to 1.7 in one streaming pass. The version is the namespace's. DTDs are
/// refused, nothing is resolved, and nesting is bounded by <see cref="SbomReaderOptions.MaxDepth"/>.
/// Element names are compared as atoms of the reader's name table, so comparing costs no strings.
/// </summary>
internal static class CycloneDxXmlReader
{
    private const string NamespacePrefix = "http://cyclonedx.org/schema/bom/";

    /// <summary>Before 1.2, dependencies lived in an extension with its own namespace.</summary>
    private const string DependencyGraphNamespace = "http://cyclonedx.org/schema/ext/dependency-graph/1.0";

    public static SbomDocument Read(Stream stream, SbomReaderOptions options)
    {
        var names = new Names(new NameTable());
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreWhitespace = true,
            IgnoreProcessingInstructions = true,
            NameTable = names.Table,
            CloseInput = false,
        };
        // SbomReader has already put the byte limit on the stream.
        using var reader = XmlReader.Create(stream, settings);
        try
        {
            return new Parser(reader, names, new SbomBuilder(SbomFormat.CycloneDxXml, options)).ReadDocument();
        }
        catch (XmlException e)
        {
            // The refusal of a DTD carries no position; its message says where it is.
            throw new SbomFormatException(e.LineNumber > 0 ? $"line {e.LineNumber}, column {e.LinePosition}" : string.Empty, Describe(e), e);
        }
    }

    private static string Describe(XmlException e)
    {
        if (e.Message.Contains("DTD", StringComparison.Ordinal))
            return "the document has a DTD (<!DOCTYPE> before its root element), which is not allowed: a CycloneDX document needs none";
        var message = e.Message;
        var cut = message.LastIndexOf(" Line ", StringComparison.Ordinal);
        if (cut > 0)
            message = message[..cut];
        return "invalid XML: " + message.TrimEnd('.', ' ');
    }

    private sealed class Parser(XmlReader reader, Names n, SbomBuilder builder)
    {
        private readonly IXmlLineInfo? _lines = reader as IXmlLineInfo;
        private readonly int _maxDepth = builder.Options.MaxDepth;
        private readonly List<(string Ref, ComponentRecord Component, Position Location)> _pending = [];
        private readonly HashSet<string> _serviceRefs = new(StringComparer.Ordinal);
        private readonly StringPool _pool = new();
        private readonly List<string> _licenses = [];
        private char[] _text = new char[256];
        private string _ns = string.Empty;
        private int _minor;
        private int _componentDepth;
        private int _serviceEdges;

        public SbomDocument ReadDocument()
        {
            if (reader.MoveToContent() != XmlNodeType.Element)
                throw new SbomFormatException(Here(), "the document has no root element");
            var ns = reader.NamespaceURI;
            if ((object)reader.LocalName != n.Bom || !ns.StartsWith(NamespacePrefix, StringComparison.Ordinal))
                throw new SbomFormatException(Here(), $"not a CycloneDX document: root element '{reader.LocalName}' in namespace '{ns}'");
            var version = ns[NamespacePrefix.Length..];
            if (!CycloneDxSchema.TryParseVersion(version, out _minor))
                throw new SbomFormatException(Here(), $"unsupported CycloneDX version '{CycloneDxSchema.Shorten(version)}' (namespace '{CycloneDxSchema.Shorten(ns)}'); Sustain reads CycloneDX XML 1.0 to {CycloneDxSchema.VersionText(CycloneDxSchema.NewestMinor)}");
            _ns = ns;

            var serial = reader.GetAttribute("serialNumber");
            if (serial is not null && !CycloneDxSchema.IsSerialNumber(serial))
                throw new SbomFormatException(Here(), $"serialNumber '{CycloneDxSchema.Shorten(serial)}' is not of the form urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");

            if (Enter())
            {
                while (NextChild())
                {
                    if (Is(n.Components))
                        ReadComponents();
                    else if (Is(n.Dependencies) || ((object)reader.LocalName == n.Dependencies && reader.NamespaceURI == DependencyGraphNamespace))
                        ReadDependencies(reader.NamespaceURI);
                    else if (Is(n.Metadata))
                        ReadMetadata();
                    else if (Is(n.Services))
                        ReadServices();
                    else
                        Skip();
                }
            }

            while (reader.Read())
            {
            }

            if (_serviceEdges > 0)
                builder.Warn("dependencies", $"{_serviceEdges:N0} dependency edges name services, which are not components; they were skipped");
            builder.SpecVersion = CycloneDxSchema.VersionText(_minor);
            return builder.Build();
        }

        private void ReadMetadata()
        {
            if (!Enter())
                return;
            while (NextChild())
            {
                if (Is(n.Component))
                {
                    ReadComponent(isMetadata: true);
                }
                else if (Is(n.Timestamp))
                {
                    var location = Mark();
                    var timestamp = Text().Trim();
                    if (!CycloneDxSchema.IsTimestamp(timestamp))
                        throw new SbomFormatException(location.ToString(), $"timestamp '{CycloneDxSchema.Shorten(timestamp)}' is not a date and time such as 2024-01-31T12:00:00Z");
                }
                else if (Is(n.Licenses))
                {
                    ReadLicenses();
                }
                else if (Is(n.Properties))
                {
                    ReadProperties();
                }
                else
                {
                    Skip();
                }
            }
        }

        private void ReadComponents()
        {
            if (!Enter())
                return;
            while (NextChild())
            {
                if (Is(n.Component))
                    ReadComponent(isMetadata: false);
                else
                    Skip();
            }
        }

        /// <summary>Reads a component and, after it, its nested ones, so a parent is added before its children.</summary>
        private void ReadComponent(bool isMetadata)
        {
            var location = Mark();
            var typeText = reader.GetAttribute("type") ?? throw new SbomFormatException(location.ToString(), "the component has no type attribute");
            var type = CycloneDxSchema.Find(CycloneDxSchema.ComponentTypes, typeText)
                ?? throw new SbomFormatException(location.ToString(), $"'{CycloneDxSchema.Shorten(typeText)}' is not a CycloneDX component type (expected one of {CycloneDxSchema.TypesUpTo(_minor)})");
            if (type.Since > _minor)
                throw new SbomFormatException(location.ToString(), $"the component type '{type.Text}' exists from CycloneDX {CycloneDxSchema.VersionText(type.Since)} (this document is CycloneDX {CycloneDxSchema.VersionText(_minor)})");
            var reference = reader.GetAttribute("bom-ref");
            if (reference is { Length: 0 })
                throw new SbomFormatException(location.ToString(), "a bom-ref cannot be empty");

            var slot = _pending.Count;
            _pending.Add(default);
            _componentDepth++;
            // Name and package URL go straight into the document's details, without a string of their own.
            PackedText name = PackedText.None, purl = PackedText.None;
            string? version = null, supplier = null;
            var licenses = 0;
            PackedRange hashes = default, references = default;
            if (Enter())
            {
                while (NextChild())
                {
                    if (!InBom())
                    {
                        Skip();
                        continue;
                    }

                    var local = reader.LocalName;
                    if (ReferenceEquals(local, n.Name))
                        name = builder.Details.AddText(TextInPlace());
                    else if (ReferenceEquals(local, n.Version))
                        version = _pool.Get(TextInPlace());
                    else if (ReferenceEquals(local, n.Purl))
                        purl = builder.Details.AddText(TextInPlace().Trim());
                    else if (ReferenceEquals(local, n.Hashes))
                        hashes = ReadHashes();
                    else if (ReferenceEquals(local, n.Licenses))
                        licenses = ReadLicenses();
                    else if (ReferenceEquals(local, n.ExternalReferences))
                        references = ReadExternalReferences();
                    else if (ReferenceEquals(local, n.Supplier))
                        supplier = ReadSupplier();
                    else if (ReferenceEquals(local, n.Scope))
                        ReadEnumText(CycloneDxSchema.Scopes, "scope");
                    else if (ReferenceEquals(local, n.Components))
                        ReadComponents();
                    else if (ReferenceEquals(local, n.Properties))
                        ReadProperties();
                    else if (ReferenceEquals(local, n.Pedigree))
                        ReadPedigree();
                    else if (ReferenceEquals(local, n.Swid))
                        ReadSwid();
                    else
                        Skip();
                }
            }

            if (name.IsNone)
                throw new SbomFormatException(location.ToString(), "the component has no name");
            var details = builder.Details;
            var component = new ComponentRecord
            {
                Name = name,
                Version = details.Keep(version),
                Type = details.Value(type.Text),
                PurlText = purl,
                Licenses = licenses,
                Hashes = hashes,
                Supplier = details.Keep(supplier),
                References = references,
                IsMetadataComponent = isMetadata,
            };
            _pending[slot] = (reference ?? builder.GenerateRef(), component, location);
            if (--_componentDepth == 0)
                FlushComponents();
        }

        private void FlushComponents()
        {
            foreach (var (reference, component, location) in _pending)
            {
                builder.AddComponent(reference, component, location.Known ? new SbomLocation("line ", location.Line, Column: location.Column) : new SbomLocation(string.Empty));
                if (component.IsMetadataComponent)
                {
                    builder.AddRoot(reference);
                    builder.Name ??= builder.Details.Text(component.Name);
                }
            }

            _pending.Clear();
        }

        private PackedRange ReadHashes()
        {
            if (!Enter())
                return default;
            var details = builder.Details;
            var start = details.HashCount;
            while (NextChild())
            {
                if (!Is(n.Hash))
                {
                    Skip();
                    continue;
                }

                var location = Mark();
                var alg = reader.GetAttribute("alg") ?? throw new SbomFormatException(location.ToString(), "the hash has no alg attribute");
                var algorithm = CycloneDxSchema.Find(CycloneDxSchema.HashAlgorithms, alg)
                    ?? throw new SbomFormatException(location.ToString(), $"'{CycloneDxSchema.Shorten(alg)}' is not a CycloneDX hash algorithm (expected one of {CycloneDxSchema.List(CycloneDxSchema.HashAlgorithms)})");
                var content = TextInPlace().Trim();
                if (CycloneDxSchema.HashContentProblem(algorithm, content) is { } problem)
                    throw new SbomFormatException(location.ToString(), problem);
                details.AddHash(algorithm.Text, content);
            }

            return new PackedRange(start, details.HashCount - start);
        }

        /// <summary>
        /// The licences, kept in the document's details straight away (see <see cref="SbomComponentDetails.Licenses"/>).
        /// XML has always allowed either licences or one expression in &lt;licenses&gt;, never both.
        /// </summary>
        private int ReadLicenses()
        {
            var location = Mark();
            int count = 0, expressions = 0;
            if (!Enter())
                return 0;
            _licenses.Clear();
            while (NextChild())
            {
                if (Is(n.License))
                {
                    _licenses.Add(ReadLicense());
                    count++;
                }
                else if (Is(n.Expression))
                {
                    _licenses.Add(_pool.Get(TextInPlace().Trim()));
                    count++;
                    expressions++;
                }
                else
                {
                    Skip();
                }
            }

            if (expressions > 0 && count > 1)
                throw new SbomFormatException(location.ToString(), "a licence <expression> must be the only entry of <licenses>");
            return builder.Details.Licenses(_licenses);
        }

        private string ReadLicense()
        {
            var location = Mark();
            string? id = null, name = null;
            if (Enter())
            {
                while (NextChild())
                {
                    if (Is(n.Id))
                    {
                        if (id is not null)
                            throw new SbomFormatException(Here(), "a licence has more than one <id>");
                        id = _pool.Get(TextInPlace().Trim());
                    }
                    else if (Is(n.Name))
                    {
                        if (name is not null)
                            throw new SbomFormatException(Here(), "a licence has more than one <name>");
                        name = _pool.Get(TextInPlace());
                    }
                    else if (Is(n.Text))
                    {
                        ReadAttachment();
                    }
                    else if (Is(n.Properties))
                    {
                        ReadProperties();
                    }
                    else
                    {
                        Skip();
                    }
                }
            }

            if (id is not null && name is not null)
                throw new SbomFormatException(location.ToString(), "a licence has both <id> and <name>; it must have one of them");
            return _pool.Get(id ?? name ?? throw new SbomFormatException(location.ToString(), "a licence has neither <id> nor <name>"));
        }

        private void ReadAttachment()
        {
            var encoding = reader.GetAttribute("encoding");
            if (encoding is not null && CycloneDxSchema.Find(CycloneDxSchema.AttachmentEncodings, encoding) is null)
                throw new SbomFormatException(Here(), $"'{CycloneDxSchema.Shorten(encoding)}' is not a CycloneDX attachment encoding (expected one of {CycloneDxSchema.List(CycloneDxSchema.AttachmentEncodings)})");
            Skip();
        }

        private string? ReadSupplier()
        {
            string? name = null;
            if (!Enter())
                return null;
            while (NextChild())
            {
                if (Is(n.Name))
                    name = _pool.Get(TextInPlace());
                else
                    Skip();
            }

            return name;
        }

        private PackedRange ReadExternalReferences()
        {
            if (!Enter())
                return default;
            var details = builder.Details;
            var start = details.ReferenceCount;
            while (NextChild())
            {
                if (!Is(n.Reference))
                {
                    Skip();
                    continue;
                }

                var location = Mark();
                var typeText = reader.GetAttribute("type") ?? throw new SbomFormatException(location.ToString(), "the external reference has no type attribute");
                var type = CycloneDxSchema.Find(CycloneDxSchema.CommonReferenceTypes, typeText)?.Text ?? _pool.Get(typeText);
                Range? url = null;
                if (Enter())
                {
                    while (NextChild())
                    {
                        // The last <url> wins; it stays in the text buffer, which nothing else here writes to.
                        if (Is(n.Url))
                            url = Trimmed(TextInPlace());
                        else
                            Skip();
                    }
                }

                if (url is not { } found)
                    throw new SbomFormatException(location.ToString(), "the external reference has no <url>");
                details.AddReference(type, _text.AsSpan(found));
            }

            return new PackedRange(start, details.ReferenceCount - start);
        }

        private void ReadSwid()
        {
            if (reader.GetAttribute("tagId") is null)
                throw new SbomFormatException(Here(), "the SWID tag has no tagId attribute");
            if (reader.GetAttribute("name") is null)
                throw new SbomFormatException(Here(), "the SWID tag has no name attribute");
            Skip();
        }

        /// <summary>Only the patches are read: ancestors, descendants and variants describe other components' history, not this document's components.</summary>
        private void ReadPedigree()
        {
            if (!Enter())
                return;
            while (NextChild())
            {
                if (Is(n.Patches))
                    ReadPatches();
                else
                    Skip();
            }
        }

        private void ReadPatches()
        {
            if (!Enter())
                return;
            while (NextChild())
            {
                if (!Is(n.Patch))
                {
                    Skip();
                    continue;
                }

                RequireType(CycloneDxSchema.PatchTypes, "patch");
                if (!Enter())
                    continue;
                while (NextChild())
                {
                    if (Is(n.Resolves))
                        ReadIssues();
                    else
                        Skip();
                }
            }
        }

        private void ReadIssues()
        {
            if (!Enter())
                return;
            while (NextChild())
            {
                if (Is(n.Issue))
                    RequireType(CycloneDxSchema.IssueTypes, "issue");
                Skip();
            }
        }

        private void RequireType(KnownValue[] types, string what)
        {
            var type = reader.GetAttribute("type") ?? throw new SbomFormatException(Here(), $"the {what} has no type attribute");
            if (CycloneDxSchema.Find(types, type) is null)
                throw new SbomFormatException(Here(), $"'{CycloneDxSchema.Shorten(type)}' is not a CycloneDX {what} type (expected one of {CycloneDxSchema.List(types)})");
        }

        private void ReadProperties()
        {
            if (!Enter())
                return;
            while (NextChild())
            {
                if (Is(n.Property) && reader.GetAttribute("name") is null)
                    throw new SbomFormatException(Here(), "the property has no name attribute");
                Skip();
            }
        }

        /// <summary>Services are not components; they are read only to check them and to know their refs, so edges to them are not mistaken for dangling ones.</summary>
        private void ReadServices()
        {
            if (!Enter())
                return;
            while (NextChild())
            {
                if (!Is(n.Service))
                {
                    Skip();
                    continue;
                }

                var location = Mark();
                if (reader.GetAttribute("bom-ref") is { Length: > 0 } reference)
                    _serviceRefs.Add(reference);
                var named = false;
                if (Enter())
                {
                    while (NextChild())
                    {
                        if (Is(n.Name))
                        {
                            named = true;
                            Skip();
                        }
                        else if (Is(n.Data))
                        {
                            ReadFlows();
                        }
                        else if (Is(n.Properties))
                        {
                            ReadProperties();
                        }
                        else if (Is(n.Services))
                        {
                            ReadServices();
                        }
                        else
                        {
                            Skip();
                        }
                    }
                }

                if (!named)
                    throw new SbomFormatException(location.ToString(), "the service has no name");
            }
        }

        /// <summary>Data flows sit on different elements in different versions; every flow attribute under &lt;data&gt; is checked.</summary>
        private void ReadFlows()
        {
            var flow = reader.GetAttribute("flow");
            if (flow is not null && CycloneDxSchema.Find(CycloneDxSchema.DataFlows, flow) is null)
                throw new SbomFormatException(Here(), $"'{CycloneDxSchema.Shorten(flow)}' is not a CycloneDX data flow (expected one of {CycloneDxSchema.List(CycloneDxSchema.DataFlows)})");
            if (!Enter())
                return;
            while (NextChild())
                ReadFlows();
        }

        private void ReadDependencies(string ns)
        {
            builder.MarkGraphPresent();
            if (!Enter())
                return;
            while (NextChild())
            {
                if (!IsIn(n.Dependency, ns))
                {
                    Skip();
                    continue;
                }

                var from = RequiredRef();
                if (!Enter())
                    continue;
                while (NextChild())
                {
                    if (IsIn(n.Dependency, ns))
                    {
                        var to = RequiredRef();
                        if (_serviceRefs.Contains(from) || _serviceRefs.Contains(to))
                            _serviceEdges++;
                        else
                            builder.AddEdge(from, to, DependencyKind.DependsOn);
                    }

                    Skip();
                }
            }
        }

        private string RequiredRef()
        {
            var reference = reader.GetAttribute("ref") ?? throw new SbomFormatException(Here(), "the dependency has no ref attribute");
            return reference.Length > 0 ? reference : throw new SbomFormatException(Here(), "a dependency ref cannot be empty");
        }

        private void ReadEnumText(KnownValue[] values, string what)
        {
            var location = Mark();
            var text = Text().Trim();
            if (CycloneDxSchema.Find(values, text) is null)
                throw new SbomFormatException(location.ToString(), $"'{CycloneDxSchema.Shorten(text)}' is not a CycloneDX {what} (expected one of {CycloneDxSchema.List(values)})");
        }

        private bool InBom() => (object)reader.NamespaceURI == _ns;

        private bool Is(string atom) => (object)reader.LocalName == atom && (object)reader.NamespaceURI == _ns;

        private bool IsIn(string atom, string ns) => (object)reader.LocalName == atom && reader.NamespaceURI == ns;

        /// <summary>Steps into the element the reader is on; false, having stepped past it, when it is empty.</summary>
        private bool Enter()
        {
            var empty = reader.IsEmptyElement;
            reader.Read();
            return !empty;
        }

        /// <summary>Moves to the next child element; false, having stepped past the parent's end tag, when there is none.</summary>
        private bool NextChild()
        {
            while (true)
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (reader.Depth >= _maxDepth)
                            throw TooDeep();
                        return true;
                    case XmlNodeType.EndElement:
                        reader.Read();
                        return false;
                    case XmlNodeType.None:
                        throw new SbomFormatException(Here(), "the document ends unexpectedly");
                    default:
                        reader.Read();
                        break;
                }
            }
        }

        /// <summary>Steps past the element the reader is on, enforcing the nesting limit inside it too.</summary>
        private void Skip()
        {
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return;
            }

            var depth = reader.Depth;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth >= _maxDepth)
                    throw TooDeep();
                if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
                {
                    reader.Read();
                    return;
                }
            }
        }

        private string Text() => reader.ReadElementContentAsString();

        private static Range Trimmed(ReadOnlySpan<char> text)
        {
            var start = text.Length - text.TrimStart().Length;
            return new Range(start, start + text.Trim().Length);
        }

        /// <summary>
        /// As <see cref="Text"/>, but copied into a buffer the parser reuses rather than made a string: for hashes and
        /// URLs, which are packed into the document's details at once. Valid until the next call.
        /// </summary>
        private ReadOnlySpan<char> TextInPlace()
        {
            if (!Enter())
                return [];
            var length = 0;
            while (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                int read;
                do
                {
                    if (length == _text.Length)
                        Array.Resize(ref _text, _text.Length * 2);
                    read = reader.ReadValueChunk(_text, length, _text.Length - length);
                    length += read;
                }
                while (read > 0);
                reader.Read();
            }

            if (reader.NodeType != XmlNodeType.EndElement)
                throw new SbomFormatException(Here(), "expected text only, found an element inside it");
            reader.Read();
            return _text.AsSpan(0, length);
        }

        private SbomFormatException TooDeep() => new(Here(), $"elements are nested more than {_maxDepth} deep, the most this server reads");

        private string Here() => Mark().ToString();

        /// <summary>Where the reader is, as numbers: most locations are kept in case of an error, and made text only for one.</summary>
        private Position Mark() => _lines is { } lines ? new Position(lines.LineNumber, lines.LinePosition, Known: true) : default;
    }

    private readonly record struct Position(int Line, int Column, bool Known)
    {
        public override string ToString() => Known ? $"line {Line}, column {Column}" : string.Empty;
    }

    /// <summary>The element names the reader looks for, as atoms of one name table: comparing them is comparing references.</summary>
    private sealed class Names(XmlNameTable table)
    {
        public XmlNameTable Table { get; } = table;

        public string Bom { get; } = table.Add("bom");

        public string Metadata { get; } = table.Add("metadata");

        public string Timestamp { get; } = table.Add("timestamp");

        public string Components { get; } = table.Add("components");

        public string Component { get; } = table.Add("component");

        public string Name { get; } = table.Add("name");

        public string Version { get; } = table.Add("version");

        public string Purl { get; } = table.Add("purl");

        public string Scope { get; } = table.Add("scope");

        public string Hashes { get; } = table.Add("hashes");

        public string Hash { get; } = table.Add("hash");

        public string Licenses { get; } = table.Add("licenses");

        public string License { get; } = table.Add("license");

        public string Expression { get; } = table.Add("expression");

        public string Id { get; } = table.Add("id");

        public string Text { get; } = table.Add("text");

        public string Supplier { get; } = table.Add("supplier");

        public string ExternalReferences { get; } = table.Add("externalReferences");

        public string Reference { get; } = table.Add("reference");

        public string Url { get; } = table.Add("url");

        public string Swid { get; } = table.Add("swid");

        public string Pedigree { get; } = table.Add("pedigree");

        public string Patches { get; } = table.Add("patches");

        public string Patch { get; } = table.Add("patch");

        public string Resolves { get; } = table.Add("resolves");

        public string Issue { get; } = table.Add("issue");

        public string Properties { get; } = table.Add("properties");

        public string Property { get; } = table.Add("property");

        public string Services { get; } = table.Add("services");

        public string Service { get; } = table.Add("service");

        public string Data { get; } = table.Add("data");

        public string Dependencies { get; } = table.Add("dependencies");

        public string Dependency { get; } = table.Add("dependency");
    }
}
