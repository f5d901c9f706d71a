using System.Text;
using Sustain.Core.Purls;

namespace Sustain.Core.Sboms;

/// <summary>
/// What every reader hands its findings to. It owns the rules all formats share: identifiers unique,
/// edges resolved once every component is known, package URLs parsed, limits enforced, and the
/// real-world quirks a reader survives (duplicates, dangling references, missing purls) turned
/// into warnings rather than errors.
/// </summary>
public sealed class SbomBuilder
{
    private const int MaxListedExamples = 5;

    private readonly SbomFormat _format;
    private readonly SbomReaderOptions _options;
    private readonly SbomComponentList _components;
    private readonly RefTable _byRef;
    /// <summary>The edges as readers give them, each end an index or, not yet resolved, negative (see <see cref="Resolve(string)"/>); resolved and compacted in place by <see cref="Build"/>.</summary>
    private readonly PagedList<SbomEdge> _edges = new();
    private readonly List<string> _unresolvedRefs = [];
    private readonly List<string> _rootRefs = [];
    private readonly List<SbomWarning> _warnings = [];
    private readonly Dictionary<string, Aggregate> _aggregates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _purlWarnings = new(StringComparer.Ordinal);
    private readonly SbomComponentDetails _details = new();
    private string? _lastSource;
    private int _lastSourceIndex;
    private int _metadataComponents;
    private int _generatedRefs;
    private bool _graphPresent;

    public SbomBuilder(SbomFormat format, SbomReaderOptions? options = null)
    {
        _format = format;
        _options = options ?? SbomReaderOptions.Default;
        _byRef = new RefTable();
        _components = new SbomComponentList(_details, _byRef);
    }

    public SbomReaderOptions Options => _options;

    public string SpecVersion { get; set; } = string.Empty;

    public string? Name { get; set; }

    public int ComponentCount => _components.Count - _metadataComponents;

    /// <summary>A reference for a component the document gave none; it cannot collide with a document's own.</summary>
    public string GenerateRef() => $"sustain:generated:{++_generatedRefs}";

    /// <summary>Adds a component and returns its index. A second component with a known ref is a warning; the first one wins.</summary>
    public int AddComponent(SbomComponent component, string location) => AddComponent(component, new SbomLocation(location));

    /// <summary>As <see cref="AddComponent(SbomComponent, string)"/>, with the location turned into text only if a warning needs it.</summary>
    internal int AddComponent(SbomComponent component, SbomLocation location)
    {
        var existing = _byRef.Add(component.Ref);
        if (existing >= 0)
            return Duplicate(existing, component.Ref, location);
        CheckLimit(component.IsMetadataComponent);

        if (component.PurlText is { } text)
        {
            if (ParsePurl(text, location) is { } purl)
                component.Purl = purl;
        }
        else if (!component.IsMetadataComponent)
        {
            Aggregated("nopurl", location, "no package URL", "components have no package URL");
        }

        component.Pack(_details);
        if (component.Licenses is [_])
            component.ShareLicenses(_details.LicensesAt(_details.Licenses(component.Licenses)));
        return Add(new ComponentRecord { IsMetadataComponent = component.IsMetadataComponent }, component);
    }

    /// <summary>
    /// As <see cref="AddComponent(SbomComponent, SbomLocation)"/>, for a component whose text a reader has already put into
    /// <see cref="Details"/>: no object and no string is made for it until it is asked for.
    /// </summary>
    internal int AddComponent(scoped ReadOnlySpan<char> reference, ComponentRecord component, SbomLocation location) =>
        _byRef.Add(reference) is var existing and >= 0 ? Duplicate(existing, reference.ToString(), location) : AddNew(component, location);

    /// <summary>As <see cref="AddComponent(ReadOnlySpan{char}, ComponentRecord, SbomLocation)"/>, with the ref as the document's UTF-8.</summary>
    internal int AddComponent(scoped ReadOnlySpan<byte> utf8Reference, ComponentRecord component, SbomLocation location) =>
        _byRef.Add(utf8Reference) is var existing and >= 0 ? Duplicate(existing, Encoding.UTF8.GetString(utf8Reference), location) : AddNew(component, location);

    /// <summary>A component whose ref was not yet in the table and now is.</summary>
    private int AddNew(ComponentRecord component, SbomLocation location)
    {
        CheckLimit(component.IsMetadataComponent);

        if (!component.PurlText.IsNone)
        {
            // Package URLs are ASCII nearly always, and decoding a short one onto the stack is cheaper than a string.
            var utf8 = _details.Utf8(component.PurlText);
            Span<char> buffer = stackalloc char[256];
            var decoded = utf8.Length <= buffer.Length && System.Text.Unicode.Utf8.ToUtf16(utf8, buffer, out _, out var written) == System.Buffers.OperationStatus.Done
                ? buffer[..written]
                : _details.Text(component.PurlText).AsSpan();
            if (Purl.IsValidCanonical(decoded))
                component.PurlIsCanonical = true;
            else if (ParsePurl(decoded.ToString(), location) is { } purl)
                component.Purl = _details.AddPurl(purl);
        }
        else if (!component.IsMetadataComponent)
        {
            Aggregated("nopurl", location, "no package URL", "components have no package URL");
        }

        return Add(component, null);
    }

    private int Duplicate(int existing, string reference, SbomLocation location)
    {
        Aggregated("duplicate", location, $"duplicate component '{reference}'", "components share an identifier with an earlier one; the first of each was kept");
        return existing;
    }

    /// <summary>Called once the ref is in the table: the component is new, and a refusal ends the whole read.</summary>
    private void CheckLimit(bool isMetadataComponent)
    {
        if (!isMetadataComponent && ComponentCount >= _options.MaxComponents)
            throw new SbomLimitExceededException($"The document has more than {_options.MaxComponents:N0} components, the most this server reads.");
    }

    private Purl? ParsePurl(string text, SbomLocation location)
    {
        if (Purl.TryParseLenient(text, out var purl, out var error, out var warning))
        {
            if (warning is not null && _purlWarnings.TryAdd(purl.Type + ":" + warning, warning))
                Warn(location.ToString() + ".purl", warning);
            return purl;
        }

        Aggregated("purl", location, $"invalid package URL '{text}': {error}", "components have an invalid package URL and are kept without one");
        return null;
    }

    private int Add(in ComponentRecord record, SbomComponent? made)
    {
        var index = _components.Add(record, made);
        if (record.IsMetadataComponent)
            _metadataComponents++;
        return index;
    }

    /// <summary>Where readers put hashes and external references straight away, rather than as objects of their own.</summary>
    internal SbomComponentDetails Details => _details;

    public bool Contains(string reference) => _byRef.Find(reference) >= 0;

    /// <summary>The index of the component with this ref, trying <paramref name="likely"/> first (see <see cref="Resolve(ReadOnlySpan{byte}, int)"/>); -1 when there is none yet.</summary>
    internal int Find(ReadOnlySpan<byte> utf8Reference, int likely = -1) => _byRef.Find(utf8Reference, likely);

    /// <summary>The ref of the component at <paramref name="index"/>.</summary>
    internal string RefOf(int index) => _byRef.KeyOf(index);

    /// <summary>Records that the document has a dependency section, even an empty one.</summary>
    public void MarkGraphPresent() => _graphPresent = true;

    /// <summary>Adds an edge between two refs; refs are resolved when the document is built, so order does not matter.</summary>
    public void AddEdge(string from, string to, DependencyKind kind)
    {
        _graphPresent = true;
        _edges.Add(new SbomEdge(ResolveSource(from), Resolve(to), kind));
    }

    /// <summary>
    /// The component a ref names, for <see cref="AddEdge(int, ReadOnlySpan{byte}, DependencyKind)"/>: its index, or, for a
    /// ref no component has yet, a negative number that the ref is looked up by again when the document is built.
    /// </summary>
    /// <remarks>
    /// <paramref name="likely"/> is the component the ref probably names, tried first, or -1 for no guess: documents list
    /// their dependency entries in the order of their components far more often than not.
    /// </remarks>
    internal int Resolve(ReadOnlySpan<byte> utf8Reference, int likely = -1) =>
        _byRef.Find(utf8Reference, likely) is var index and >= 0 ? index : Unresolved(Encoding.UTF8.GetString(utf8Reference));

    /// <summary>An edge from a component already resolved with <see cref="Resolve(ReadOnlySpan{byte}, int)"/>, allocating no string for a target that is already a component.</summary>
    internal void AddEdge(int from, ReadOnlySpan<byte> utf8To, DependencyKind kind)
    {
        _graphPresent = true;
        _edges.Add(new SbomEdge(from, Resolve(utf8To), kind));
    }

    /// <summary>An edge between two components a reader has already resolved to their indexes, as <see cref="AddComponent(SbomComponent, string)"/> returned them.</summary>
    internal void AddEdge(int from, int to, DependencyKind kind)
    {
        _graphPresent = true;
        _edges.Add(new SbomEdge(from, to, kind));
    }

    public void AddRoot(string reference)
    {
        if (!_rootRefs.Contains(reference, StringComparer.Ordinal))
            _rootRefs.Add(reference);
    }

    public void Warn(string location, string message) => _warnings.Add(new SbomWarning(location, message));

    public SbomDocument Build()
    {
        var edges = _edges;
        var kept = 0;
        var repeats = new RepeatedEdges(_components.Count);
        for (var i = 0; i < edges.Count; i++)
        {
            var edge = edges[i];
            var from = edge.From >= 0 ? edge.From : IndexOf(_unresolvedRefs[~edge.From]);
            var to = edge.To >= 0 ? edge.To : IndexOf(_unresolvedRefs[~edge.To]);
            if (from < 0 || to < 0)
            {
                var missing = _unresolvedRefs[from < 0 ? ~edge.From : ~edge.To];
                Aggregated("dangling", "dependencies", $"'{missing}' is not a component of this document", "dependency entries name components that are not in the document and were skipped");
                continue;
            }

            var resolved = new SbomEdge(from, to, edge.Kind);
            if (from != to && !repeats.IsRepeat(edges, kept, resolved))
                edges[kept++] = resolved;
        }

        edges.Truncate(kept);
        if (repeats.MayRemain)
            RemoveRepeatedEdges(edges);
        var roots = new List<int>(_rootRefs.Count);
        foreach (var reference in _rootRefs)
        {
            if (_byRef.Find(reference) is var index and >= 0)
                roots.Add(index);
            else
                Warn("roots", $"the document describes '{reference}', which is not one of its components");
        }

        if (_graphPresent && edges.Count > 0)
        {
            foreach (var root in roots)
            {
                if (!edges.Any(e => e.From == root))
                    Warn("dependencies", $"no dependency entry names the root '{_components[root].Ref}'; its direct dependencies are taken to be the components nothing else depends on");
            }
        }

        foreach (var aggregate in _aggregates.Values)
            _warnings.Add(aggregate.ToWarning());
        if (!_graphPresent && ComponentCount > 0)
            Warn(string.Empty, "the document has no dependency graph; every component is taken to be a direct dependency");

        return new SbomDocument
        {
            Format = _format,
            SpecVersion = SpecVersion,
            Name = Name,
            Components = _components,
            Edges = edges,
            Roots = roots,
            HasDependencyGraph = _graphPresent,
            Warnings = _warnings,
            MetadataComponentCount = _metadataComponents,
        };
    }

    /// <summary>Keeps the first of each repeated edge, in order. Repeats are rare, so a sorted copy of packed keys finds whether there are any.</summary>
    private static void RemoveRepeatedEdges(PagedList<SbomEdge> edges)
    {
        var keys = new long[edges.Count];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = Pack(edges[i]);
        Array.Sort(keys);
        var repeated = false;
        for (var i = 1; i < keys.Length && !repeated; i++)
            repeated = keys[i] == keys[i - 1];
        if (!repeated)
            return;

        var seen = new HashSet<long>(edges.Count);
        var kept = 0;
        for (var i = 0; i < edges.Count; i++)
        {
            if (seen.Add(Pack(edges[i])))
                edges[kept++] = edges[i];
        }

        edges.Truncate(kept);
    }

    /// <summary>
    /// Finds repeated edges as they are added, where that is cheap: documents give a component's edges together (a CycloneDX
    /// dependency entry, a run of SPDX relationships), so a repeat is nearly always within the run of edges from the same
    /// component. Only when a component's edges come in two runs, or a run is long, may a repeat remain, and
    /// <see cref="RemoveRepeatedEdges"/> looks for them all.
    /// </summary>
    private sealed class RepeatedEdges(int components)
    {
        private const int LongRun = 32;

        private readonly System.Collections.BitArray _sources = new(components);
        private int _source = -1;
        private int _runStart;

        public bool MayRemain { get; private set; }

        /// <summary>Whether <paramref name="edge"/> repeats one of the first <paramref name="count"/> edges of <paramref name="kept"/>, the ones kept so far.</summary>
        public bool IsRepeat(PagedList<SbomEdge> kept, int count, SbomEdge edge)
        {
            if (edge.From != _source)
            {
                MayRemain |= _sources[edge.From];
                _sources[edge.From] = true;
                (_source, _runStart) = (edge.From, count);
                return false;
            }

            if (count - _runStart > LongRun)
            {
                MayRemain = true;
                return false;
            }

            for (var i = _runStart; i < count; i++)
            {
                if (kept[i] == edge)
                    return true;
            }

            return false;
        }
    }

    /// <summary>An edge as one number: 30 bits for each index (no document that fits in memory has more components) and 3 for the kind.</summary>
    private static long Pack(SbomEdge edge) => ((long)edge.From << 33) | ((long)edge.To << 3) | (long)edge.Kind;

    private int IndexOf(string reference) => _byRef.Find(reference);

    /// <summary>The component's index when it is already known; otherwise the complement of the ref's place in <see cref="_unresolvedRefs"/>, a negative number.</summary>
    private int Resolve(string reference) => _byRef.Find(reference) is var index and >= 0 ? index : Unresolved(reference);

    /// <summary>As <see cref="Resolve"/>; readers hand over all the edges of one component with the same string, so it is looked up once.</summary>
    private int ResolveSource(string reference)
    {
        if (!ReferenceEquals(reference, _lastSource))
        {
            _lastSourceIndex = Resolve(reference);
            _lastSource = reference;
        }

        return _lastSourceIndex;
    }

    private int Unresolved(string reference)
    {
        _unresolvedRefs.Add(reference);
        return ~(_unresolvedRefs.Count - 1);
    }

    /// <summary>Quirks that repeat (a thousand components without a purl) become one warning with a count and a few examples.</summary>
    private void Aggregated(string key, string location, string detail, string summary) => Aggregated(key, new SbomLocation(location), detail, summary);

    private void Aggregated(string key, SbomLocation location, string detail, string summary)
    {
        if (!_aggregates.TryGetValue(key, out var aggregate))
        {
            aggregate = new Aggregate(summary);
            _aggregates.Add(key, aggregate);
        }

        aggregate.Add(location, detail);
    }

    private sealed class Aggregate(string summary)
    {
        private readonly List<string> _examples = [];
        private int _count;

        public void Add(SbomLocation location, string detail)
        {
            _count++;
            if (_examples.Count >= MaxListedExamples)
                return;
            var where = location.ToString();
            _examples.Add(where.Length == 0 ? detail : $"{where}: {detail}");
        }

        public SbomWarning ToWarning()
        {
            if (_count == 1)
                return new SbomWarning(string.Empty, _examples[0]);
            var more = _count > _examples.Count ? $"; and {_count - _examples.Count:N0} more" : string.Empty;
            return new SbomWarning(string.Empty, $"{_count:N0} {summary} (e.g. {string.Join("; ", _examples)}{more})");
        }
    }
}

/// <summary>Where something is, turned into text only when a warning needs it: "$.relationships[" 12 "]", "line " 40.</summary>
internal readonly record struct SbomLocation(string Prefix, int Index, string Suffix = "", int Column = -1)
{
    /// <summary>A location that is already text, such as a JSON path built anyway.</summary>
    public SbomLocation(string text)
        : this(text, -1)
    {
    }

    public override string ToString() => Index < 0
        ? Prefix
        : Column < 0
            ? string.Concat(Prefix, Index.ToString(System.Globalization.CultureInfo.InvariantCulture), Suffix)
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Prefix}{Index}, column {Column}");
}
