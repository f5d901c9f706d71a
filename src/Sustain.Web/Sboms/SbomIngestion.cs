using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Core.Graphs;
using Sustain.Core.Sboms;
using Sustain.Data;
using Sustain.Data.Organisations;
using Sustain.Data.Sboms;
using Sustain.Web.Organisations;
using Sustain.Web.Projects;

namespace Sustain.Web.Sboms;

public sealed class SbomOptions
{
    public const string Section = "Sboms";

    /// <summary>The largest upload accepted, in bytes (100 MiB).</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    public int MaxComponents { get; set; } = 1_000_000;

    /// <summary>Where uploads are spooled while they are read; the system temp folder by default.</summary>
    public string? SpoolDirectory { get; set; }
}

/// <summary>How an upload ended, and what HTTP status says it.</summary>
public sealed record IngestResult(int Status, SbomUpload? Upload, string? ErrorTitle, string? Error, bool AlreadyKnown)
{
    public bool Succeeded => Upload is not null;

    public static IngestResult Refused(int status, string title, string detail) => new(status, null, title, detail, false);
}

/// <summary>
/// The one path every upload takes, from the UI, the API and the CLI alike: spool the bytes to disk
/// while hashing them (never the whole file in memory), refuse what is too large, answer a re-upload
/// of the same bytes with the upload already made, read the document, and store it and its
/// components in one transaction, so a refused document leaves nothing behind.
/// </summary>
public sealed partial class SbomIngestion(SustainDbContext db, IOptions<SbomOptions> options, ILogger<SbomIngestion> logger, TimeProvider clock, ProjectJobs projectJobs)
{
    public async Task<IngestResult> IngestAsync(OrgAccess access, string productSlug, Stream body, string? fileName, CancellationToken cancellation)
    {
        if (!Slugs.IsValid(productSlug))
            return IngestResult.Refused(StatusCodes.Status400BadRequest, "Invalid product name", $"The product '{productSlug}' is not a valid short name: use {Slugs.Rule}.");

        var limit = options.Value.MaxUploadBytes;
        var spool = Path.Combine(options.Value.SpoolDirectory ?? Path.GetTempPath(), $"sustain-upload-{Guid.NewGuid():N}");
        try
        {
            string sha256;
            long size;
            await using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                size = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellation)) > 0)
                {
                    size += read;
                    if (size > limit)
                        return IngestResult.Refused(StatusCodes.Status413PayloadTooLarge, "SBOM too large", $"The upload is larger than {limit:N0} bytes, the most this server accepts.");
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
                }

                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            if (size == 0)
                return IngestResult.Refused(StatusCodes.Status400BadRequest, "Empty upload", "The upload is empty; send the SBOM document as the request body.");

            var product = await db.Products.SingleOrDefaultAsync(p => p.OrganisationId == access.Organisation.Id && p.Slug == productSlug, cancellation);
            if (product is not null)
            {
                var existing = await db.SbomUploads.AsNoTracking().SingleOrDefaultAsync(u => u.ProductId == product.Id && u.Sha256 == sha256, cancellation);
                if (existing is not null)
                    return new IngestResult(StatusCodes.Status200OK, existing, null, null, AlreadyKnown: true);
            }

            SbomDocument document;
            try
            {
                await using var read = new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
                document = SbomReader.Read(read, new SbomReaderOptions { MaxBytes = limit, MaxComponents = options.Value.MaxComponents });
            }
            catch (SbomFormatException e)
            {
                return IngestResult.Refused(StatusCodes.Status400BadRequest, "The SBOM could not be read", e.Message);
            }
            catch (SbomLimitExceededException e)
            {
                return IngestResult.Refused(StatusCodes.Status413PayloadTooLarge, "SBOM too large", e.Message);
            }

            SbomUpload upload;
            try
            {
                upload = await StoreAsync(access, product, productSlug, document, spool, sha256, size, fileName, cancellation);
            }
            catch (DbUpdateException) when (product is null)
            {
                // Another request (on this instance or another) created the product since it was looked up: store into that one.
                db.ChangeTracker.Clear();
                product = await db.Products.SingleOrDefaultAsync(p => p.OrganisationId == access.Organisation.Id && p.Slug == productSlug, cancellation);
                if (product is null)
                    throw;
                upload = await StoreAsync(access, product, productSlug, document, spool, sha256, size, fileName, cancellation);
            }

            LogStored(logger, upload.Id, access.Organisation.Slug, productSlug, upload.ComponentCount);
            await projectJobs.ResolveAfterUploadAsync(access.Organisation.Id, upload.Id, CancellationToken.None);
            return new IngestResult(StatusCodes.Status201Created, upload, null, null, AlreadyKnown: false);
        }
        finally
        {
            File.Delete(spool);
        }
    }

    private async Task<SbomUpload> StoreAsync(OrgAccess access, Product? product, string productSlug, SbomDocument document, string spool, string sha256, long size, string? fileName, CancellationToken cancellation)
    {
        var graph = DependencyGraph.Build(document);
        var summary = SbomSummary.Of(document, graph);
        var now = clock.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        if (product is null)
        {
            product = new Product { OrganisationId = access.Organisation.Id, Slug = productSlug, Name = productSlug };
            db.Products.Add(product);
        }

        var upload = new SbomUpload
        {
            ProductId = product.Id,
            OrganisationId = access.Organisation.Id,
            Sha256 = sha256,
            FileName = fileName is null ? null : Path.GetFileName(fileName)[..Math.Min(Path.GetFileName(fileName).Length, 260)],
            SizeBytes = size,
            State = SbomUploadState.Ready,
            Format = SbomDocument.FormatName(document.Format),
            SpecVersion = document.SpecVersion,
            DocumentName = document.Name,
            ComponentCount = document.ComponentCount,
            EdgeCount = document.Edges.Count,
            DirectCount = graph.Direct.Count,
            MaxDepth = graph.MaxDepth,
            GraphAbsent = graph.GraphAbsent,
            Warnings = summary.Warnings.Count == 0 ? null : string.Join('\n', summary.Warnings),
            EdgesCompressed = CompressEdges(document.Edges),
            RawCompressed = await CompressFileAsync(spool, cancellation),
            UploadedByUserId = access.UserId,
            UploadedByTokenId = access.TokenId,
            UploadedAt = now,
            ProcessedAt = now,
        };
        db.SbomUploads.Add(upload);
        product.CurrentUploadId = upload.Id;
        await db.SaveChangesAsync(cancellation);

        await SbomComponentWriter.WriteAsync(db, upload.Id, document, graph, cancellation);
        await transaction.CommitAsync(cancellation);
        return upload;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored SBOM {Upload} for {Organisation}/{Product}: {Components} components")]
    private static partial void LogStored(ILogger logger, Guid upload, string organisation, string product, int components);

    internal static byte[] CompressEdges(IReadOnlyList<SbomEdge> edges)
    {
        var raw = new byte[edges.Count * 8];
        for (var i = 0; i < edges.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(i * 8), edges[i].From);
            BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan((i * 8) + 4), edges[i].To);
        }

        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest))
            brotli.Write(raw);
        return output.ToArray();
    }

    public static (int From, int To)[] DecompressEdges(byte[]? compressed)
    {
        if (compressed is null || compressed.Length == 0)
            return [];
        using var input = new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        input.CopyTo(raw);
        var bytes = raw.GetBuffer().AsSpan(0, (int)raw.Length);
        var edges = new (int, int)[bytes.Length / 8];
        for (var i = 0; i < edges.Length; i++)
            edges[i] = (BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 8)..]), BinaryPrimitives.ReadInt32LittleEndian(bytes[((i * 8) + 4)..]));
        return edges;
    }

    private static async Task<byte[]> CompressFileAsync(string path, CancellationToken cancellation)
    {
        using var output = new MemoryStream();
        await using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
        await using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan | FileOptions.Asynchronous))
            await input.CopyToAsync(brotli, cancellation);
        return output.ToArray();
    }
}
