using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Sustain.Core.Graphs;
using Sustain.Core.Sboms;
using Sustain.Data;
using Sustain.Data.Sboms;

namespace Sustain.Web.Sboms;

/// <summary>Writes an upload's components with what the dependency view filters on: depth, parent on a shortest path, package, ecosystem.</summary>
internal static class SbomComponentWriter
{
    /// <summary>
    /// Rows per INSERT on a server database: one round trip for many rows. SQLite runs in-process, so
    /// there a prepared one-row statement is fastest (it looks bound parameters up by name, which costs
    /// more the more a statement has).
    /// </summary>
    private const int ServerBatch = 400;

    private static readonly (string Property, Func<SbomComponentRow, object?> Value)[] Columns =
    [
        (nameof(SbomComponentRow.UploadId), r => r.UploadId),
        (nameof(SbomComponentRow.Index), r => r.Index),
        (nameof(SbomComponentRow.Ref), r => r.Ref),
        (nameof(SbomComponentRow.Name), r => r.Name),
        (nameof(SbomComponentRow.Version), r => r.Version),
        (nameof(SbomComponentRow.Purl), r => r.Purl),
        (nameof(SbomComponentRow.PackageKey), r => r.PackageKey),
        (nameof(SbomComponentRow.Ecosystem), r => r.Ecosystem),
        (nameof(SbomComponentRow.Licenses), r => r.Licenses),
        (nameof(SbomComponentRow.Type), r => r.Type),
        (nameof(SbomComponentRow.Depth), r => r.Depth),
        (nameof(SbomComponentRow.Parent), r => r.Parent),
        (nameof(SbomComponentRow.IsRoot), r => r.IsRoot),
        (nameof(SbomComponentRow.VcsUrl), r => r.VcsUrl),
        (nameof(SbomComponentRow.Website), r => r.Website),
        (nameof(SbomComponentRow.SearchText), r => r.SearchText),
    ];

    /// <summary>
    /// Inserts the rows with prepared INSERT statements on the context's connection and transaction.
    /// EF's change tracking costs several times the insert itself at tens of thousands of rows; the
    /// table, column names, quoting and value conversions still come from the EF model, so both
    /// providers get what EF would have written.
    /// </summary>
    public static async Task WriteAsync(SustainDbContext db, Guid uploadId, SbomDocument document, DependencyGraph graph, CancellationToken cancellation)
    {
        var entity = db.Model.FindEntityType(typeof(SbomComponentRow))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = Columns.Select(c =>
        {
            var property = entity.FindProperty(c.Property)!;
            return new Column(sql.DelimitIdentifier(property.GetColumnName(table)!), (RelationalTypeMapping)property.GetRelationalTypeMapping(), c.Value);
        }).ToArray();
        var insert = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ";

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var batch = db.Database.IsSqlite() ? 1 : ServerBatch;
        var total = document.Components.Count;
        DbCommand? full = null;
        try
        {
            var rows = new SbomComponentRow[batch];
            for (var start = 0; start < total; start += batch)
            {
                var count = Math.Min(batch, total - start);
                for (var r = 0; r < count; r++)
                    rows[r] = ToRow(uploadId, start + r, document.Components[start + r], graph);
                if (count == batch)
                {
                    full ??= await PrepareAsync(connection, transaction, insert, columns, batch, cancellation);
                    await ExecuteAsync(full, columns, rows.AsMemory(0, count), cancellation);
                }
                else
                {
                    await using var rest = await PrepareAsync(connection, transaction, insert, columns, count, cancellation);
                    await ExecuteAsync(rest, columns, rows.AsMemory(0, count), cancellation);
                }
            }
        }
        finally
        {
            if (full is not null)
                await full.DisposeAsync();
        }
    }

    private sealed record Column(string Name, RelationalTypeMapping Mapping, Func<SbomComponentRow, object?> Value);

    private static async Task<DbCommand> PrepareAsync(DbConnection connection, DbTransaction? transaction, string insert, Column[] columns, int rows, CancellationToken cancellation)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var text = new StringBuilder(insert, insert.Length + (rows * columns.Length * 8));
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                var name = "@p" + ((r * columns.Length) + c).ToString(CultureInfo.InvariantCulture);
                text.Append(c == 0 ? name : ", " + name);
                command.Parameters.Add(columns[c].Mapping.CreateParameter(command, name, null));
            }

            text.Append(')');
        }

        command.CommandText = text.ToString();
        await command.PrepareAsync(cancellation);
        return command;
    }

    private static async Task ExecuteAsync(DbCommand command, Column[] columns, ReadOnlyMemory<SbomComponentRow> rows, CancellationToken cancellation)
    {
        var p = 0;
        foreach (var row in rows.Span)
        {
            foreach (var column in columns)
            {
                var value = column.Value(row);
                command.Parameters[p++].Value = value is null ? DBNull.Value : column.Mapping.Converter?.ConvertToProvider(value) ?? value;
            }
        }

        await command.ExecuteNonQueryAsync(cancellation);
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
