using Microsoft.EntityFrameworkCore;
using Sustain.Core.Graphs;
using Sustain.Core.Sboms;
using Sustain.Data;
using Sustain.Data.Sboms;

namespace Sustain.Web.Sboms;

/// <summary>Writes an upload's components with what the dependency view filters on: depth, parent on a shortest path, package, ecosystem.</summary>
internal static class SbomComponentWriter
{
    private const int Batch = 2000;

    public static async Task WriteAsync(SustainDbContext db, Guid uploadId, SbomDocument document, DependencyGraph graph, CancellationToken cancellation)
    {
        var tracking = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var rows = new List<SbomComponentRow>(Batch);
            for (var i = 0; i < document.Components.Count; i++)
            {
                rows.Add(ToRow(uploadId, i, document.Components[i], graph));
                if (rows.Count == Batch)
                {
                    await FlushAsync(db, rows, cancellation);
                    rows.Clear();
                }
            }

            await FlushAsync(db, rows, cancellation);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = tracking;
        }
    }

    private static async Task FlushAsync(SustainDbContext db, List<SbomComponentRow> rows, CancellationToken cancellation)
    {
        if (rows.Count == 0)
            return;
        db.SbomComponents.AddRange(rows);
        await db.SaveChangesAsync(cancellation);
        db.ChangeTracker.Clear();
    }

    private static SbomComponentRow ToRow(Guid uploadId, int index, SbomComponent component, DependencyGraph graph)
    {
        var purl = component.Purl;
        var licenses = component.Licenses.Count == 0 ? null : string.Join(", ", component.Licenses);
        var vcs = component.ExternalReferences.FirstOrDefault(r => r.Type == ExternalReference.Vcs)?.Url;
        var website = component.ExternalReferences.FirstOrDefault(r => r.Type == ExternalReference.Website)?.Url;
        return new SbomComponentRow
        {
            UploadId = uploadId,
            Index = index,
            Ref = Cap(component.Ref, 1000)!,
            Name = Cap(component.Name, 500),
            Version = Cap(component.Version, 200),
            Purl = purl?.ToString() ?? Cap(component.PurlText, 2000),
            PackageKey = purl?.PackageKey,
            Ecosystem = purl?.Type,
            Licenses = Cap(licenses, 1000),
            Type = Cap(component.Type, 64),
            Depth = graph.Depth(index),
            Parent = graph.ParentOf(index),
            IsRoot = graph.IsRoot(index),
            VcsUrl = Cap(vcs, 1000),
            Website = Cap(website, 1000),
            SearchText = $"{component.Name} {purl?.ToString() ?? component.PurlText} {component.Version}".ToLowerInvariant(),
        };
    }

    private static string? Cap(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}
