using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Sustain.Core.Sboms;

/// <summary>
/// Reads CycloneDX JSON 1.2 to 1.7 in one streaming pass. Property names are compared as UTF-8,
/// so the only strings allocated are the ones the model keeps. What the schema forbids and a
/// stream can check is refused with its JSON path; what a reader can survive goes to the builder.
/// </summary>
internal static class CycloneDxJsonReader
{
    public static SbomDocument Read(Stream stream, SbomReaderOptions options)
    {
        var parser = new Parser(stream, new SbomBuilder(SbomFormat.CycloneDxJson, options));
        try
        {
            return parser.ReadDocument();
        }
        finally
        {
            parser.Dispose();
        }
    }

    /// <summary>A component read but not yet added: its ref waits in the reader's own buffer, as <see cref="Range"/> of it.</summary>
    private readonly record struct PendingComponent(Range Ref, ComponentRecord Component, SbomLocation Location);

    /// <summary>A version rule met before the document said its version (JSON properties come in any order).</summary>
    private readonly record struct DeferredCheck(string Location, int ValidFrom, int ValidUntil, string Problem);

    private ref struct Parser
    {
        private const int Unknown = -1;

        private readonly SbomBuilder _builder;
        private readonly JsonPath _path = new();
        private readonly List<PendingComponent> _pending = [];
        private readonly List<string> _targets = [];
        private readonly StringPool _pool = new();
        private readonly List<string> _licenses = [];
        private byte[] _utf8Scratch = new byte[256];
        private byte[] _nameScratch = new byte[64];
        private byte[] _hashScratch = new byte[128];
        private byte[] _pendingRefs = new byte[256];
        private int _pendingRefsLength;
        private readonly HashSet<string> _serviceRefs = new(StringComparer.Ordinal);
        private JsonStream _json;
        private List<DeferredCheck>? _deferred;
        private int _minor = Unknown;
        private int _componentDepth;
        private int _serviceEdges;
        private int _lastSource = -1;

        public Parser(Stream stream, SbomBuilder builder)
        {
            _builder = builder;
            _json = new JsonStream(stream, builder.Options);
        }

        public void Dispose() => _json.Dispose();

        public SbomDocument ReadDocument()
        {
            _json.ReadRequired("$");
            if (_json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException("$", $"expected an object, found {JsonStream.Describe(_json.TokenType)}");

            var sawFormat = false;
            while (NextProperty())
            {
                if (Is("components"u8))
                {
                    ReadComponents();
                }
                else if (Is("dependencies"u8))
                {
                    ReadDependencies();
                }
                else if (Is("metadata"u8))
                {
                    ReadMetadata();
                }
                else if (Is("bomFormat"u8))
                {
                    ReadBomFormat();
                    sawFormat = true;
                }
                else if (Is("specVersion"u8))
                {
                    ReadSpecVersion();
                }
                else if (Is("serialNumber"u8))
                {
                    var serial = ReadString("serialNumber");
                    if (serial is not null && !CycloneDxSchema.IsSerialNumber(serial))
                        throw Fail("serialNumber", $"'{CycloneDxSchema.Shorten(serial)}' is not a serial number of the form urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
                }
                else if (Is("services"u8))
                {
                    ReadServices();
                }
                else
                {
                    _json.Skip();
                }
            }

            if (_json.Read())
                throw new SbomFormatException("$", "unexpected content after the document");
            if (!sawFormat)
                throw new SbomFormatException("$", "the document has no bomFormat; a CycloneDX document says \"bomFormat\": \"CycloneDX\"");
            if (_minor == Unknown)
                throw new SbomFormatException("$", "the document has no specVersion");
            foreach (var check in _deferred ?? [])
            {
                if (_minor < check.ValidFrom || _minor > check.ValidUntil)
                    throw new SbomFormatException(check.Location, $"{check.Problem} (this document is CycloneDX {CycloneDxSchema.VersionText(_minor)})");
            }

            if (_serviceEdges > 0)
                _builder.Warn("dependencies", $"{_serviceEdges:N0} dependency edges name services, which are not components; they were skipped");
            _builder.SpecVersion = CycloneDxSchema.VersionText(_minor);
            return _builder.Build();
        }

        private void ReadBomFormat()
        {
            _json.ReadRequired("$.bomFormat");
            if (_json.TokenType == JsonTokenType.String && _json.ValueTextEquals("CycloneDX"u8))
                return;
            var found = _json.TokenType == JsonTokenType.String ? $"\"{CycloneDxSchema.Shorten(_json.GetString(string.Empty)!)}\"" : JsonStream.Describe(_json.TokenType);
            throw Fail("bomFormat", $"expected \"CycloneDX\", found {found}");
        }

        private void ReadSpecVersion()
        {
            var text = ReadString("specVersion") ?? string.Empty;
            if (!CycloneDxSchema.TryParseVersion(text, out var minor) || minor < 2)
                throw Fail("specVersion", $"unsupported CycloneDX version '{CycloneDxSchema.Shorten(text)}'; Sustain reads CycloneDX JSON 1.2 to {CycloneDxSchema.VersionText(CycloneDxSchema.NewestMinor)}");
            _minor = minor;
        }

        private void ReadMetadata()
        {
            if (!BeginObject("metadata"))
                return;
            while (NextProperty())
            {
                if (Is("component"u8))
                {
                    if (!BeginObject("component"))
                        continue;
                    ReadComponent(isMetadata: true);
                    _path.Pop();
                }
                else if (Is("timestamp"u8))
                {
                    var timestamp = ReadString("timestamp");
                    if (timestamp is not null && !CycloneDxSchema.IsTimestamp(timestamp))
                        throw Fail("timestamp", $"'{CycloneDxSchema.Shorten(timestamp)}' is not a date and time such as 2024-01-31T12:00:00Z");
                }
                else if (Is("licenses"u8))
                {
                    ReadLicenses();
                }
                else if (Is("properties"u8))
                {
                    ReadProperties();
                }
                else
                {
                    _json.Skip();
                }
            }

            _path.Pop();
        }

        private void ReadComponents()
        {
            if (!BeginArray("components"))
                return;
            for (var i = 0; NextItem(); i++)
            {
                _path.Index(i);
                ExpectItemObject();
                ReadComponent(isMetadata: false);
            }

            _path.Pop();
        }

        /// <summary>
        /// Reads the component the reader is on (its StartObject) and, after it, its nested ones, so a
        /// parent is added before its children even though it is complete only after them.
        /// </summary>
        private void ReadComponent(bool isMetadata)
        {
            int? slot = null;
            _componentDepth++;

            var details = _builder.Details;
            Range? reference = null;
            PackedText name = PackedText.None, purl = PackedText.None;
            PackedText version = PackedText.None, supplier = PackedText.None;
            string? type = null;
            var licenses = 0;
            PackedRange hashes = default, references = default;
            while (NextProperty())
            {
                // Compared as a local, the name costs a length test for each property it is not; a component has a dozen.
                var property = _json.PropertyName(ref _nameScratch);
                if (property.SequenceEqual("name"u8))
                {
                    name = ReadPackedText("name");
                }
                else if (property.SequenceEqual("version"u8))
                {
                    version = ReadPackedText("version");
                }
                else if (property.SequenceEqual("purl"u8))
                {
                    purl = ReadPackedText("purl");
                }
                else if (property.SequenceEqual("type"u8))
                {
                    type = ReadComponentType();
                }
                else if (property.SequenceEqual("bom-ref"u8))
                {
                    reference = null;
                    if (ReadUtf8("bom-ref", out var utf8))
                        reference = utf8.IsEmpty ? throw Fail("bom-ref", "a bom-ref cannot be empty") : KeepRef(utf8);
                }
                else if (property.SequenceEqual("hashes"u8))
                {
                    hashes = ReadHashes();
                }
                else if (property.SequenceEqual("licenses"u8))
                {
                    licenses = ReadLicenses();
                }
                else if (property.SequenceEqual("externalReferences"u8))
                {
                    references = ReadExternalReferences();
                }
                else if (property.SequenceEqual("supplier"u8))
                {
                    supplier = ReadSupplier();
                }
                else if (property.SequenceEqual("scope"u8))
                {
                    ReadEnum("scope", CycloneDxSchema.Scopes, "scope");
                }
                else if (property.SequenceEqual("components"u8))
                {
                    // The component is added before the ones nested in it: it keeps its place while they are read.
                    if (slot is null)
                    {
                        slot = _pending.Count;
                        _pending.Add(default);
                    }

                    ReadComponents();
                }
                else if (property.SequenceEqual("properties"u8))
                {
                    ReadProperties();
                }
                else if (property.SequenceEqual("pedigree"u8))
                {
                    ReadPedigree();
                }
                else if (property.SequenceEqual("swid"u8))
                {
                    ReadSwid();
                }
                else
                {
                    _json.Skip();
                }
            }

            if (type is null)
                throw new SbomFormatException(_path.ToString(), "the component has no type");
            if (name.IsNone)
                throw new SbomFormatException(_path.ToString(), "the component has no name");

            var component = new ComponentRecord
            {
                Name = name,
                Version = version,
                Type = details.Value(type),
                PurlText = purl,
                Licenses = licenses,
                Hashes = hashes,
                Supplier = supplier,
                References = references,
                IsMetadataComponent = isMetadata,
            };
            var read = new PendingComponent(reference ?? KeepRef(Encoding.UTF8.GetBytes(_builder.GenerateRef())), component, _path.Location());
            if (slot is { } reserved)
                _pending[reserved] = read;
            else if (_componentDepth > 1 || _pending.Count > 0)
                _pending.Add(read);
            else
                Add(read); // nearly every component: top-level, nothing nested, added straight away
            if (--_componentDepth == 0)
                FlushComponents();
        }

        private void FlushComponents()
        {
            foreach (var pending in _pending)
                Add(pending);
            _pending.Clear();
            _pendingRefsLength = 0;
        }

        private void Add(in PendingComponent pending)
        {
            var reference = _pendingRefs.AsSpan(pending.Ref);
            _builder.AddComponent(reference, pending.Component, pending.Location);
            if (pending.Component.IsMetadataComponent)
            {
                _builder.AddRoot(Encoding.UTF8.GetString(reference));
                _builder.Name ??= _builder.Details.Text(pending.Component.Name);
            }
        }

        private Range KeepRef(ReadOnlySpan<byte> reference)
        {
            if (_pendingRefsLength + reference.Length > _pendingRefs.Length)
                Array.Resize(ref _pendingRefs, Math.Max(_pendingRefsLength + reference.Length, _pendingRefs.Length * 2));
            reference.CopyTo(_pendingRefs.AsSpan(_pendingRefsLength));
            _pendingRefsLength += reference.Length;
            return (_pendingRefsLength - reference.Length).._pendingRefsLength;
        }

        private string ReadComponentType()
        {
            _json.ReadRequired(string.Empty);
            if (_json.TokenType != JsonTokenType.String)
                throw Fail("type", $"expected a string, found {JsonStream.Describe(_json.TokenType)}");
            foreach (var known in CycloneDxSchema.ComponentTypes)
            {
                if (!_json.ValueTextEquals(known.Utf8))
                    continue;
                if (known.Since > 0)
                    RequireVersion("type", known.Since, CycloneDxSchema.NewestMinor, $"the component type '{known.Text}' exists from CycloneDX {CycloneDxSchema.VersionText(known.Since)}");
                return known.Text;
            }

            var text = _json.GetString(string.Empty)!;
            var newest = _minor == Unknown ? CycloneDxSchema.NewestMinor : _minor;
            throw Fail("type", $"'{CycloneDxSchema.Shorten(text)}' is not a CycloneDX component type (expected one of {CycloneDxSchema.TypesUpTo(newest)})");
        }

        /// <summary>Reads the hashes straight into the document's packed details: no string or object for any of them.</summary>
        private PackedRange ReadHashes()
        {
            if (!BeginArray("hashes"))
                return default;
            var details = _builder.Details;
            var start = details.HashCount;
            for (var i = 0; NextItem(); i++)
            {
                _path.Index(i);
                ExpectItemObject();
                KnownValue? algorithm = null;
                var length = -1;
                while (NextProperty())
                {
                    if (Is("alg"u8))
                        algorithm = ReadEnum("alg", CycloneDxSchema.HashAlgorithms, "hash algorithm");
                    else if (Is("content"u8))
                        length = ReadUtf8("content", out var utf8) ? JsonStream.CopyOut(utf8, ref _hashScratch) : -1;
                    else
                        _json.Skip();
                }

                if (algorithm is null)
                    throw new SbomFormatException(_path.ToString(), "the hash has no alg");
                if (length < 0)
                    throw new SbomFormatException(_path.ToString(), "the hash has no content");
                var content = _hashScratch.AsSpan(0, length);
                if (CycloneDxSchema.HashContentProblem(algorithm, content) is { } problem)
                    throw Fail("content", problem);
                details.AddHash(algorithm.Text, content);
            }

            _path.Pop();
            return new PackedRange(start, details.HashCount - start);
        }

        /// <summary>A property's string value kept, as the document's UTF-8, in its packed text, where a component's name, purl, hashes and links wait to be asked for; none for null.</summary>
        private PackedText ReadPackedText(string property) =>
            ReadUtf8(property, out var value) ? _builder.Details.AddText(value) : PackedText.None;

        /// <summary>A property's string value as the document's UTF-8 (see <see cref="JsonStream.Utf8String"/>); false for null.</summary>
        private bool ReadUtf8(string property, out ReadOnlySpan<byte> value)
        {
            _json.ReadRequired(string.Empty);
            value = default;
            if (_json.TokenType == JsonTokenType.Null)
                return false;
            if (_json.TokenType != JsonTokenType.String)
                throw Fail(property, $"expected a string, found {JsonStream.Describe(_json.TokenType)}");
            value = _json.Utf8String(ref _utf8Scratch);
            return true;
        }


        /// <summary>The licences, kept in the document's details straight away (see <see cref="SbomComponentDetails.Licenses"/>).</summary>
        private int ReadLicenses()
        {
            if (!BeginArray("licenses"))
                return 0;
            _licenses.Clear();
            var count = 0;
            var sawExpression = false;
            for (; NextItem(); count++)
            {
                _path.Index(count);
                ExpectItemObject();
                string? value = null;
                bool hasLicense = false, hasExpression = false;
                while (NextProperty())
                {
                    if (Is("license"u8))
                    {
                        hasLicense = true;
                        value = ReadLicense();
                    }
                    else if (Is("expression"u8))
                    {
                        hasExpression = true;
                        value = ReadPooledString("expression") ?? throw Fail("expression", "the licence expression is null");
                    }
                    else
                    {
                        _json.Skip();
                    }
                }

                if (hasLicense == hasExpression)
                    throw new SbomFormatException(_path.ToString(), hasLicense ? "a licence entry has both 'license' and 'expression'; it must have one of them" : "a licence entry has neither 'license' nor 'expression'");
                sawExpression |= hasExpression;
                _licenses.Add(value!);
            }

            _path.Pop();
            if (sawExpression && count > 1)
                RequireVersion("licenses", 0, 4, "a licence expression must be the only entry of 'licenses' from CycloneDX 1.5");
            return _builder.Details.Licenses(_licenses);
        }

        private string ReadLicense()
        {
            if (!BeginObject("license"))
                throw Fail("license", "the licence is null");
            string? id = null, name = null;
            while (NextProperty())
            {
                if (Is("id"u8))
                    id = ReadPooledString("id");
                else if (Is("name"u8))
                    name = ReadPooledString("name");
                else if (Is("text"u8))
                    ReadAttachment("text");
                else if (Is("properties"u8))
                    ReadProperties();
                else
                    _json.Skip();
            }

            if (id is not null && name is not null)
                throw new SbomFormatException(_path.ToString(), "a licence has both 'id' and 'name'; it must have one of them");
            var license = id ?? name ?? throw new SbomFormatException(_path.ToString(), "a licence has neither 'id' nor 'name'");
            _path.Pop();
            return license;
        }

        private void ReadAttachment(string property)
        {
            if (!BeginObject(property))
                return;
            while (NextProperty())
            {
                if (Is("encoding"u8))
                    ReadEnum("encoding", CycloneDxSchema.AttachmentEncodings, "attachment encoding");
                else
                    _json.Skip();
            }

            _path.Pop();
        }

        private PackedText ReadSupplier()
        {
            if (!BeginObject("supplier"))
                return PackedText.None;
            var name = PackedText.None;
            while (NextProperty())
            {
                if (Is("name"u8))
                    name = ReadPackedText("name");
                else
                    _json.Skip();
            }

            _path.Pop();
            return name;
        }

        /// <summary>Reads the references straight into the document's packed details, as <see cref="ReadHashes"/> does.</summary>
        private PackedRange ReadExternalReferences()
        {
            if (!BeginArray("externalReferences"))
                return default;
            var details = _builder.Details;
            var start = details.ReferenceCount;
            for (var i = 0; NextItem(); i++)
            {
                _path.Index(i);
                ExpectItemObject();
                string? type = null;
                var url = PackedText.None;
                while (NextProperty())
                {
                    if (Is("url"u8))
                        url = ReadPackedText("url");
                    else if (Is("type"u8))
                        type = ReadReferenceType();
                    else
                        _json.Skip();
                }

                if (type is null)
                    throw new SbomFormatException(_path.ToString(), "the external reference has no type");
                if (url.IsNone)
                    throw new SbomFormatException(_path.ToString(), "the external reference has no url");
                details.AddReference(type, url);
            }

            _path.Pop();
            return new PackedRange(start, details.ReferenceCount - start);
        }

        private string? ReadReferenceType()
        {
            _json.ReadRequired(string.Empty);
            if (_json.TokenType == JsonTokenType.String)
            {
                foreach (var known in CycloneDxSchema.CommonReferenceTypes)
                {
                    if (_json.ValueTextEquals(known.Utf8))
                        return known.Text;
                }
            }

            return _json.TokenType == JsonTokenType.String ? _json.GetPooledString(_pool) : CurrentString("type");
        }

        private void ReadSwid()
        {
            if (!BeginObject("swid"))
                return;
            bool hasTagId = false, hasName = false;
            while (NextProperty())
            {
                if (Is("tagId"u8))
                    hasTagId = ReadString("tagId") is not null;
                else if (Is("name"u8))
                    hasName = ReadString("name") is not null;
                else if (Is("text"u8))
                    ReadAttachment("text");
                else
                    _json.Skip();
            }

            if (!hasTagId)
                throw new SbomFormatException(_path.ToString(), "the SWID tag has no tagId");
            if (!hasName)
                throw new SbomFormatException(_path.ToString(), "the SWID tag has no name");
            _path.Pop();
        }

        /// <summary>Only the patches are read: ancestors, descendants and variants describe other components' history, not this document's components.</summary>
        private void ReadPedigree()
        {
            if (!BeginObject("pedigree"))
                return;
            while (NextProperty())
            {
                if (!Is("patches"u8))
                {
                    _json.Skip();
                    continue;
                }

                if (!BeginArray("patches"))
                    continue;
                for (var i = 0; NextItem(); i++)
                {
                    _path.Index(i);
                    ExpectItemObject();
                    var typed = false;
                    while (NextProperty())
                    {
                        if (Is("type"u8))
                            typed = ReadEnum("type", CycloneDxSchema.PatchTypes, "patch type") is not null;
                        else if (Is("resolves"u8))
                            ReadIssues();
                        else
                            _json.Skip();
                    }

                    if (!typed)
                        throw new SbomFormatException(_path.ToString(), "the patch has no type");
                }

                _path.Pop();
            }

            _path.Pop();
        }

        private void ReadIssues()
        {
            if (!BeginArray("resolves"))
                return;
            for (var i = 0; NextItem(); i++)
            {
                _path.Index(i);
                ExpectItemObject();
                var typed = false;
                while (NextProperty())
                {
                    if (Is("type"u8))
                        typed = ReadEnum("type", CycloneDxSchema.IssueTypes, "issue type") is not null;
                    else
                        _json.Skip();
                }

                if (!typed)
                    throw new SbomFormatException(_path.ToString(), "the issue has no type");
            }

            _path.Pop();
        }

        private void ReadProperties()
        {
            if (!BeginArray("properties"))
                return;
            for (var i = 0; NextItem(); i++)
            {
                _path.Index(i);
                ExpectItemObject();
                var named = false;
                while (NextProperty())
                {
                    if (Is("name"u8))
                        named = ReadString("name") is not null;
                    else
                        _json.Skip();
                }

                if (!named)
                    RequireVersion("name", 0, 4, "a property must have a name from CycloneDX 1.5");
            }

            _path.Pop();
        }

        /// <summary>Services are not components; they are read only to check them and to know their refs, so edges to them are not mistaken for dangling ones.</summary>
        private void ReadServices()
        {
            if (!BeginArray("services"))
                return;
            for (var i = 0; NextItem(); i++)
            {
                _path.Index(i);
                ExpectItemObject();
                var named = false;
                while (NextProperty())
                {
                    if (Is("bom-ref"u8))
                    {
                        if (ReadString("bom-ref") is { } reference)
                            _serviceRefs.Add(reference);
                    }
                    else if (Is("name"u8))
                    {
                        named = ReadString("name") is not null;
                    }
                    else if (Is("data"u8))
                    {
                        ReadServiceData();
                    }
                    else if (Is("properties"u8))
                    {
                        ReadProperties();
                    }
                    else if (Is("services"u8))
                    {
                        ReadServices();
                    }
                    else
                    {
                        _json.Skip();
                    }
                }

                if (!named)
                    throw new SbomFormatException(_path.ToString(), "the service has no name");
            }

            _path.Pop();
        }

        private void ReadServiceData()
        {
            if (!BeginArray("data"))
                return;
            for (var i = 0; NextItem(); i++)
            {
                _path.Index(i);
                ExpectItemObject();
                while (NextProperty())
                {
                    if (Is("flow"u8))
                        ReadEnum("flow", CycloneDxSchema.DataFlows, "data flow");
                    else
                        _json.Skip();
                }
            }

            _path.Pop();
        }

        private void ReadDependencies()
        {
            _builder.MarkGraphPresent();
            if (!BeginArray("dependencies"))
                return;
            for (var i = 0; NextItem(); i++)
            {
                _path.Index(i);
                ExpectItemObject();
                Source? from = null;
                _targets.Clear();
                while (NextProperty())
                {
                    if (Is("ref"u8))
                    {
                        from = null;
                        if (ReadUtf8("ref", out var reference))
                            from = reference.IsEmpty ? throw Fail("ref", "a dependency ref cannot be empty") : SourceOf(reference);
                    }
                    else if (Is("dependsOn"u8))
                    {
                        ReadTargets(from);
                    }
                    else
                    {
                        _json.Skip();
                    }
                }

                if (from is not { } source)
                    throw new SbomFormatException(_path.ToString(), "the dependency has no ref");
                foreach (var to in _targets)
                    AddDependency(source, Encoding.UTF8.GetBytes(to));
            }

            _path.Pop();
        }

        /// <summary>
        /// Reads a dependency's targets. When its ref came first (as it does in nearly every document), each target is
        /// handed on as it is read, without a string of its own; otherwise they wait in <see cref="_targets"/> for the ref.
        /// </summary>
        private void ReadTargets(Source? from)
        {
            if (!BeginArray("dependsOn"))
                return;
            for (var i = 0; NextItem(); i++)
            {
                if (_json.TokenType != JsonTokenType.String)
                {
                    _path.Index(i);
                    throw new SbomFormatException(_path.ToString(), $"expected a component reference (a string), found {JsonStream.Describe(_json.TokenType)}");
                }

                var target = _json.Utf8String(ref _utf8Scratch);
                if (target.IsEmpty)
                {
                    _path.Index(i);
                    throw new SbomFormatException(_path.ToString(), "a component reference cannot be empty");
                }

                if (from is { } source && _targets.Count == 0)
                    AddDependency(source, target);
                else
                    _targets.Add(Encoding.UTF8.GetString(target));
            }

            _path.Pop();
        }

        /// <summary>A dependency's ref, resolved once for all its targets: no string is made for it when it names a component already read.</summary>
        private Source SourceOf(ReadOnlySpan<byte> reference)
        {
            var source = new Source(_builder.Resolve(reference, _lastSource + 1), IsService(reference));
            _lastSource = source.Component;
            return source;
        }

        private void AddDependency(Source from, scoped ReadOnlySpan<byte> to)
        {
            if (from.IsService || IsService(to))
                _serviceEdges++;
            else
                _builder.AddEdge(from.Component, to, DependencyKind.DependsOn);
        }

        /// <summary>Whether a ref names a service; decoded only in the few documents that have services at all.</summary>
        private readonly bool IsService(ReadOnlySpan<byte> reference) => _serviceRefs.Count > 0 && _serviceRefs.Contains(Encoding.UTF8.GetString(reference));

        /// <summary>The ref of a dependency entry: the component it names (see <see cref="SbomBuilder.Resolve(ReadOnlySpan{byte}, int)"/>), or a service.</summary>
        private readonly record struct Source(int Component, bool IsService);

        /// <summary>Reads a string enumeration value without allocating; refuses a value the schema does not list.</summary>
        private KnownValue? ReadEnum(string property, KnownValue[] values, string what)
        {
            _json.ReadRequired(string.Empty);
            if (_json.TokenType == JsonTokenType.Null)
                return null;
            if (_json.TokenType == JsonTokenType.String)
            {
                foreach (var value in values)
                {
                    if (_json.ValueTextEquals(value.Utf8))
                        return value;
                }
            }

            var found = _json.TokenType == JsonTokenType.String ? $"'{CycloneDxSchema.Shorten(_json.GetString(string.Empty)!)}'" : JsonStream.Describe(_json.TokenType);
            throw Fail(property, $"{found} is not a CycloneDX {what} (expected one of {CycloneDxSchema.List(values)})");
        }

        private void RequireVersion(string property, int validFrom, int validUntil, string problem)
        {
            if (_minor == Unknown)
            {
                (_deferred ??= []).Add(new DeferredCheck(_path.At(property), validFrom, validUntil, problem));
                return;
            }

            if (_minor < validFrom || _minor > validUntil)
                throw Fail(property, $"{problem} (this document is CycloneDX {CycloneDxSchema.VersionText(_minor)})");
        }

        private readonly bool Is(ReadOnlySpan<byte> name) => _json.ValueTextEquals(name);

        /// <summary>Moves to the next property of the current object; false at its end.</summary>
        private bool NextProperty()
        {
            if (!_json.Read())
                throw new SbomFormatException(_path.ToString(), "the document ends unexpectedly");
            return _json.TokenType == JsonTokenType.PropertyName;
        }

        /// <summary>Moves to the next item of the current array; false at its end.</summary>
        private bool NextItem()
        {
            if (!_json.Read())
                throw new SbomFormatException(_path.ToString(), "the document ends unexpectedly");
            return _json.TokenType != JsonTokenType.EndArray;
        }

        /// <summary>As <see cref="ReadString"/>, for values that documents repeat: one string for each.</summary>
        private string? ReadPooledString(string property)
        {
            _json.ReadRequired(string.Empty);
            return _json.TokenType == JsonTokenType.String ? _json.GetPooledString(_pool) : CurrentString(property);
        }

        /// <summary>Reads a property's value as a string; null for JSON null.</summary>
        private string? ReadString(string property)
        {
            _json.ReadRequired(string.Empty);
            return CurrentString(property);
        }

        private readonly string? CurrentString(string property) => _json.TokenType switch
        {
            JsonTokenType.String => _json.GetString(string.Empty),
            JsonTokenType.Null => null,
            _ => throw Fail(property, $"expected a string, found {JsonStream.Describe(_json.TokenType)}"),
        };

        /// <summary>Moves onto a property's array and enters it; false (nothing to read) for null.</summary>
        private bool BeginArray(string property) => Begin(property, JsonTokenType.StartArray);

        private bool BeginObject(string property) => Begin(property, JsonTokenType.StartObject);

        private bool Begin(string property, JsonTokenType expected)
        {
            _json.ReadRequired(string.Empty);
            if (_json.TokenType == JsonTokenType.Null)
                return false;
            if (_json.TokenType != expected)
                throw Fail(property, $"expected {JsonStream.Describe(expected)}, found {JsonStream.Describe(_json.TokenType)}");
            _path.Push(property);
            return true;
        }

        private readonly void ExpectItemObject()
        {
            if (_json.TokenType != JsonTokenType.StartObject)
                throw new SbomFormatException(_path.ToString(), $"expected an object, found {JsonStream.Describe(_json.TokenType)}");
        }

        private readonly SbomFormatException Fail(string property, string problem) => new(_path.At(property), problem);
    }

    /// <summary>Where the reader is, kept as names and indexes so a JSON path string is built only for a message or a component's location.</summary>
    private sealed class JsonPath
    {
        // A stack of its own rather than a list: the reader pushes, indexes and pops a dozen times a component.
        private (string Name, int Index)[] _segments = new (string, int)[16];
        private int _depth;

        public void Push(string name)
        {
            if (_depth == _segments.Length)
                Array.Resize(ref _segments, _depth * 2);
            _segments[_depth++] = (name, -1);
        }

        public void Index(int index) => _segments[_depth - 1].Index = index;

        public void Pop() => _depth--;

        public string At(string property) => ToString() + "." + property;

        /// <summary>Where the reader is, as text only when asked for; a top-level component's path is not built at all.</summary>
        public SbomLocation Location() =>
            _depth == 1 && _segments[0] is ("components", var index and >= 0) ? new SbomLocation("$.components[", index, "]") : new SbomLocation(ToString());

        public override string ToString()
        {
            // Built for every component's location, so on the stack rather than in a StringBuilder.
            var path = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[128]);
            path.AppendLiteral("$");
            foreach (var (name, index) in _segments.AsSpan(0, _depth))
            {
                path.AppendLiteral(".");
                path.AppendLiteral(name);
                if (index < 0)
                    continue;
                path.AppendLiteral("[");
                path.AppendFormatted(index);
                path.AppendLiteral("]");
            }

            return path.ToStringAndClear();
        }
    }
}
