using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Organisations;
using Sustain.Web.Organisations;

namespace Sustain.Web.Sboms;

/// <summary>One upload in a product's history, with who made it: a member's name or a token's.</summary>
public sealed record UploadHistoryEntry(UploadSummary Upload, string UploadedBy, bool IsCurrent);

public sealed record ProductPageModel(Product Product, UploadSummary? Current, IReadOnlyList<UploadHistoryEntry> History);

/// <summary>The product page's data: the product, its current SBOM and its upload history, newest first.</summary>
public sealed class ProductHistory(IDbContextFactory<SustainDbContext> contexts)
{
    public async Task<ProductPageModel?> LoadAsync(OrgAccess access, string product, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var found = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.OrganisationId == access.Organisation.Id && p.Slug == product, cancellation);
        if (found is null)
            return null;

        // The history is small metadata; the compressed document and edges stay in the database.
        var uploads = await db.SbomUploads.AsNoTracking()
            .Where(u => u.ProductId == found.Id)
            .OrderByDescending(u => u.UploadedAt)
            .Select(u => new Sustain.Data.Sboms.SbomUpload
            {
                Id = u.Id, ProductId = u.ProductId, OrganisationId = u.OrganisationId, Sha256 = u.Sha256, FileName = u.FileName, SizeBytes = u.SizeBytes,
                State = u.State, Format = u.Format, SpecVersion = u.SpecVersion, DocumentName = u.DocumentName, ComponentCount = u.ComponentCount,
                EdgeCount = u.EdgeCount, DirectCount = u.DirectCount, MaxDepth = u.MaxDepth, GraphAbsent = u.GraphAbsent, Warnings = u.Warnings, Error = u.Error,
                UploadedByUserId = u.UploadedByUserId, UploadedByTokenId = u.UploadedByTokenId, UploadedAt = u.UploadedAt, ProcessedAt = u.ProcessedAt,
            })
            .ToListAsync(cancellation);

        var userIds = uploads.Where(u => u.UploadedByUserId != null).Select(u => u.UploadedByUserId!).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName ?? u.Email ?? u.UserName ?? "a member", cancellation);
        var tokenIds = uploads.Where(u => u.UploadedByTokenId != null).Select(u => u.UploadedByTokenId!.Value).Distinct().ToList();
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => tokenIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellation);

        var history = uploads.Select(u => new UploadHistoryEntry(
            UploadSummary.Of(u, found.Slug),
            u.UploadedByUserId is { } user ? users.GetValueOrDefault(user, "a former member")
                : u.UploadedByTokenId is { } token ? $"token “{tokens.GetValueOrDefault(token, "revoked")}”"
                : "Sustain",
            u.Id == found.CurrentUploadId)).ToList();
        return new ProductPageModel(found, history.FirstOrDefault(h => h.IsCurrent)?.Upload, history);
    }

    public async Task<List<Product>> ListAsync(OrgAccess access, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        return await db.Products.AsNoTracking().Where(p => p.OrganisationId == access.Organisation.Id).OrderBy(p => p.Name).ToListAsync(cancellation);
    }

    /// <summary>Gives a product created by its first upload the name the user typed, where that differs from its short name.</summary>
    public async Task RenameAsync(OrgAccess access, string product, string name, CancellationToken cancellation = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
            return;
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        await db.Products.Where(p => p.OrganisationId == access.Organisation.Id && p.Slug == product)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, name), cancellation);
    }
}
