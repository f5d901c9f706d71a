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

        api.MapGet("/components", ComponentsAsync)
            .WithName("ListComponents")
            .WithSummary("Components of the current SBOMs, filtered, sorted and paged")
            .WithDescription("Every component of the organisation's products' current uploads (or one product's, with 'product'). "
                + "q searches name, package URL and version; scope is direct, transitive or all; ecosystem is a purl type (npm, maven, ...); "
                + "license matches one licence entry; maxDepth keeps components within that many steps of the root; "
                + "sort is name, depth, ecosystem or license, '-' in front for descending; page counts from 1; pageSize is 1 to 500 (50 by default).")
            .Produces<ComponentPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/products/{product}/components/{index:int}/path", async (string org, string product, int index, HttpContext http, OrganisationAccess access, DependencyQuery query) =>
        {
            var caller = await access.ForRequestAsync(http, org, ApiTokenScopes.SbomsRead);
            var path = caller is null ? null : await query.PathAsync(caller, product, index, http.RequestAborted);
            return path is null ? NotFound(org) : Results.Ok(path);
        }).WithName("GetComponentPath")
            .WithSummary("Why a component is here: a shortest path from the product root")
            .WithDescription("The component is named by its index in the product's current upload (the 'index' of a components item). The steps run from the root to the component; they are empty when nothing in the graph reaches it.")
            .Produces<ComponentPath>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/products/{product}/diff", DiffAsync)
            .WithName("DiffSboms")
            .WithSummary("What changed between two uploads of a product")
            .WithDescription("Packages added, removed and at another version from upload 'from' to upload 'to'. A package is its package URL without version; a component without one is matched by name.")
            .Produces<UploadDiff>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<IResult> ComponentsAsync(
        string org, string? product, string? q, string? scope, string? ecosystem, string? license, string? maxDepth, string? sort, string? page, string? pageSize,
        HttpContext http, OrganisationAccess access, DependencyQuery query)
    {
        var caller = await access.ForRequestAsync(http, org, ApiTokenScopes.SbomsRead);
        if (caller is null)
            return NotFound(org);
        var (filter, errors) = ComponentFilter.Parse(product, q, scope, ecosystem, license, maxDepth, sort, page, pageSize);
        if (filter is null)
            return Results.ValidationProblem(errors, title: "Invalid query", detail: string.Join(" ", errors.Values.SelectMany(e => e)));
        var result = await query.ComponentsAsync(caller, filter, http.RequestAborted);
        return result is null ? NotFound(org) : Results.Ok(result);
    }

    private static async Task<IResult> DiffAsync(string org, string product, string? from, string? to, HttpContext http, OrganisationAccess access, UploadComparison comparison)
    {
        var caller = await access.ForRequestAsync(http, org, ApiTokenScopes.SbomsRead);
        if (caller is null)
            return NotFound(org);
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(from, out var fromId))
            errors["from"] = [from is null ? "Name the earlier upload: from=ID." : $"'{from}' is not an upload id."];
        if (!Guid.TryParse(to, out var toId))
            errors["to"] = [to is null ? "Name the later upload: to=ID." : $"'{to}' is not an upload id."];
        if (errors.Count == 0 && fromId == toId)
            errors["to"] = ["'from' and 'to' are the same upload; name two different uploads."];
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "Invalid query", detail: string.Join(" ", errors.Values.SelectMany(e => e)));

        var (diff, _) = await comparison.CompareAsync(caller, product, fromId, toId, http.RequestAborted);
        return diff is null ? NotFound(org) : Results.Ok(diff);
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
        builder.Services.AddSingleton<DependencyQuery>();
        builder.Services.AddSingleton<UploadComparison>();
        builder.Services.AddSingleton<ProductHistory>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplication MapSboms(this WebApplication app)
    {
        app.MapSbomApi();
        return app;
    }
}
