using System.Collections;
using Sustain.Core.Purls;

namespace Sustain.Core.Sboms;

/// <summary>
/// A component as a reader hands it over, but for its ref (which goes to the <see cref="RefTable"/>): its text packed in
/// the document's <see cref="SbomComponentDetails"/>, and everything else there too, by number. Holding no reference,
/// a document's records are copied without write barriers and never traced by the garbage collector; each
/// <see cref="SbomComponent"/> is made the first time it is asked for.
/// </summary>
internal struct ComponentRecord
{
    public ComponentRecord()
    {
    }

    public PackedText Name { get; set; } = PackedText.None;

    public PackedText PurlText { get; set; } = PackedText.None;

    public PackedText Version { get; set; } = PackedText.None;

    public PackedText Supplier { get; set; } = PackedText.None;

    /// <summary>See <see cref="SbomComponentDetails.Value"/>; -1 for none.</summary>
    public int Type { get; set; } = -1;

    /// <summary>See <see cref="SbomComponentDetails.Licenses"/>; 0 for none.</summary>
    public int Licenses { get; set; }

    public PackedRange Hashes { get; set; }

    public PackedRange References { get; set; }

    public bool IsMetadataComponent { get; set; }

    /// <summary>The package URL is valid and already canonical: it is parsed, cheaply, only when the component is made.</summary>
    internal bool PurlIsCanonical { get; set; }

    /// <summary>A valid package URL that was not canonical, parsed while reading (see <see cref="SbomComponentDetails.AddPurl"/>); -1 for none.</summary>
    internal int Purl { get; set; } = -1;
}

/// <summary>The components of one document, made from their <see cref="ComponentRecord"/> on first access and kept.</summary>
internal sealed class SbomComponentList(SbomComponentDetails details, RefTable refs) : IReadOnlyList<SbomComponent>
{
    private readonly PagedList<ComponentRecord> _records = new();
    private readonly PagedList<SbomComponent?> _made = new();

    public int Count => _records.Count;

    public SbomComponent this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return Volatile.Read(ref _made[index]) ?? Make(index);
        }
    }

    /// <summary>Adds a component; <paramref name="made"/> is the component itself when a reader built one.</summary>
    public int Add(in ComponentRecord record, SbomComponent? made)
    {
        _made.Add(made);
        return _records.Add(record);
    }

    public bool IsMetadataComponent(int index) => _records[index].IsMetadataComponent;

    public IEnumerator<SbomComponent> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Two threads may make the same component at once; both then get the one that was stored first.</summary>
    private SbomComponent Make(int index)
    {
        var component = new SbomComponent(refs.KeyOf(index), _records[index], details);
        return Interlocked.CompareExchange(ref _made[index], component, null) ?? component;
    }
}
