using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Organisations;
using Sustain.Data.Sboms;
using Sustain.Web.Operations;
using Sustain.Web.Organisations;

namespace Sustain.Web.Sboms;

public sealed record UploadSummary(
    Guid Id, string Product, string State, string? Format, string? SpecVersion, string? DocumentName, int Components, int Edges,
    int Direct, int MaxDepth, bool GraphAbsent, string Sha256, long SizeBytes, DateTimeOffset UploadedAt, IReadOnlyList<string> Warnings)
{
    public static UploadSummary Of(SbomUpload u, string product) => new(
        u.Id, product, u.State.ToString(), u.Format, u.SpecVersion, u.DocumentName, u.ComponentCount, u.EdgeCount, u.DirectCount, u.MaxDepth,
        u.GraphAbsent, u.Sha256, u.SizeBytes, u.UploadedAt, u.Warnings?.Split('\n') ?? []);
}

public sealed record ProductSummary(string Slug, string Name, UploadSummary? Current, int Uploads);

public static class SbomEndpoints
{
    /// <summary>Content types an SBOM arrives as; anything else is 415.</summary>
    private static readonly string[] AcceptedMediaTypes =
    [
        "application/json", "application/vnd.cyclonedx+json", "application/spdx+json", "application/ld+json",
        "application/xml", "text/xml", "application/vnd.cyclonedx+xml", "text/spdx", "text/plain", "application/octet-stream",
    ];

    public static RouteGroupBuilder MapSbomApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/orgs/{org}").RequireRateLimiting(OperationsSetup.ApiRateLimitPolicy).WithTags("SBOMs");

        api.MapPost("/products/{product}/sboms", UploadAsync)
            .WithName("UploadSbom")
            .WithSummary("Upload an SBOM for a product")
            .WithDescription("The request body is the document itself (CycloneDX JSON/XML, SPDX JSON/tag-value, SPDX 3 JSON-LD), or a multipart form with a 'file' field. The product is created on its first upload. The same bytes uploaded again return the existing upload (200).")
            // "*/*" keeps routing from refusing other media types with a bare 415 before the handler can say which are accepted.
            .Accepts<IFormFile>("multipart/form-data", [.. AcceptedMediaTypes, "*/*"])
            .Produces<UploadSummary>(StatusCodes.Status201Created)
            .Produces<UploadSummary>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .DisableAntiforgery();

        api.MapGet("/products", async (string org, HttpContext http, OrganisationAccess access, SustainDbContext db) =>
        {
            var caller = await access.ForRequestAsync(http, org, ApiTokenScopes.SbomsRead);
            if (caller is null)
                return NotFound(org);
            var products = await db.Products.AsNoTracking().Where(p => p.OrganisationId == caller.Organisation.Id).OrderBy(p => p.Name).ToListAsync(http.RequestAborted);
            var currentIds = products.Where(p => p.CurrentUploadId != null).Select(p => p.CurrentUploadId!.Value).ToList();
            var current = await db.SbomUploads.AsNoTracking().Where(u => currentIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, http.RequestAborted);
            var counts = await db.SbomUploads.Where(u => u.OrganisationId == caller.Organisation.Id).GroupBy(u => u.ProductId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, http.RequestAborted);
            return Results.Ok(products.Select(p => new ProductSummary(
                p.Slug, p.Name, p.CurrentUploadId is { } id && current.TryGetValue(id, out var u) ? UploadSummary.Of(u, p.Slug) : null, counts.GetValueOrDefault(p.Id))));
        }).WithName("ListProducts").WithSummary("The organisation's products with their current SBOM").Produces<ProductSummary[]>();

        api.MapGet("/products/{product}/sboms", async (string org, string product, HttpContext http, OrganisationAccess access, SustainDbContext db) =>
        {
            var caller = await access.ForRequestAsync(http, org, ApiTokenScopes.SbomsRead);
            var found = caller is null ? null : await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.OrganisationId == caller.Organisation.Id && p.Slug == product, http.RequestAborted);
            if (found is null)
                return NotFound(org);
            var uploads = await db.SbomUploads.AsNoTracking().Where(u => u.ProductId == found.Id).OrderByDescending(u => u.UploadedAt).ToListAsync(http.RequestAborted);
            return Results.Ok(uploads.Select(u => UploadSummary.Of(u, found.Slug)));
        }).WithName("ListSboms").WithSummary("A product's upload history, newest first").Produces<UploadSummary[]>();

        api.MapGet("/products/{product}/sboms/{id:guid}", async (string org, string product, Guid id, HttpContext http, OrganisationAccess access, SustainDbContext db) =>
        {
            var caller = await access.ForRequestAsync(http, org, ApiTokenScopes.SbomsRead);
            var upload = caller is null ? null : await db.SbomUploads.AsNoTracking()
                .SingleOrDefaultAsync(u => u.Id == id && u.OrganisationId == caller.Organisation.Id && db.Products.Any(p => p.Id == u.ProductId && p.Slug == product), http.RequestAborted);
            return upload is null ? NotFound(org) : Results.Ok(UploadSummary.Of(upload, product));
        }).WithName("GetSbom").WithSummary("One upload: its state, counts and warnings").Produces<UploadSummary>();

        return api;
    }

    private static async Task<IResult> UploadAsync(string org, string product, HttpContext http, OrganisationAccess access, SbomIngestion ingestion, Microsoft.Extensions.Options.IOptions<SbomOptions> options)
    {
        var caller = await access.ForRequestAsync(http, org, ApiTokenScopes.SbomsWrite);
        if (caller is null)
            return NotFound(org);

        var sizeLimit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
            sizeLimit.MaxRequestBodySize = options.Value.MaxUploadBytes + (1024 * 1024);

        Stream body;
        string? fileName = null;
        var contentType = http.Request.ContentType;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var file = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null);
            if (file is null)
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No file", detail: "The multipart form has no 'file' field.");
            body = file.OpenReadStream();
            fileName = file.FileName;
        }
        else if (contentType is not null && !AcceptedMediaTypes.Any(t => contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: $"'{contentType}' is not an SBOM media type; send the document as application/json, application/xml, text/spdx or application/octet-stream.");
        }
        else
        {
            body = http.Request.Body;
            fileName = http.Request.Headers["X-File-Name"].FirstOrDefault();
        }

        await using (body)
        {
            var result = await ingestion.IngestAsync(caller, product, body, fileName, http.RequestAborted);
            if (!result.Succeeded)
                return Results.Problem(statusCode: result.Status, title: result.ErrorTitle, detail: result.Error);
            var summary = UploadSummary.Of(result.Upload!, product);
            return result.AlreadyKnown
                ? Results.Ok(summary)
                : Results.Created($"/api/v1/orgs/{org}/products/{product}/sboms/{result.Upload!.Id}", summary);
        }
    }

    internal static IResult NotFound(string org) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No organisation '{org}' that you can see, or nothing of that name in it.");
}

public static class SbomsSetup
{
    public static IHostApplicationBuilder AddSboms(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SbomOptions>().BindConfiguration(SbomOptions.Section);
        builder.Services.AddScoped<SbomIngestion>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplication MapSboms(this WebApplication app)
    {
        app.MapSbomApi();
        return app;
    }
}
