using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Data;
using Sustain.Data.Identity;
using Sustain.Data.Organisations;
using Sustain.Web.Allocations;
using Sustain.Web.Organisations;
using Sustain.Web.Projects;
using Sustain.Web.Sboms;

namespace Sustain.Web.Demo;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Seed a demo organisation with SBOMs into an empty database, so a first visitor sees a live dashboard.</summary>
    public bool Seed { get; set; } = true;

    public string Email { get; set; } = "demo@sustain.example";

    public string Password { get; set; } = "sustain-demo-2026";
}

/// <summary>
/// A first visitor's data: a demo organisation with two products whose SBOMs go through the same
/// ingestion as any upload. Only into an empty database, so it never touches real data.
/// </summary>
public sealed partial class DemoData(
    SustainDbContext db,
    UserManager<SustainUser> users,
    SbomIngestion ingestion,
    ProjectResolver resolver,
    PolicyStore policies,
    Sustain.Web.Projects.DemoSignals signals,
    AllocationBasisReader bases,
    SnapshotService snapshots,
    IOptions<DemoOptions> options,
    ILogger<DemoData> logger)
{
    public const string OrganisationSlug = "acme";

    public async Task SeedAsync(CancellationToken cancellation = default)
    {
        var demo = options.Value;
        if (!demo.Seed || await db.Organisations.AnyAsync(cancellation))
            return;

        var user = new SustainUser { UserName = demo.Email, Email = demo.Email, EmailConfirmed = true, DisplayName = "Dana Demo" };
        var created = await users.CreateAsync(user, demo.Password);
        if (!created.Succeeded)
        {
            LogDemoUserRefused(logger, string.Join("; ", created.Errors.Select(e => e.Description)));
            return;
        }

        var organisation = new Organisation
        {
            Slug = OrganisationSlug,
            Name = "Acme Robotics",
            DeveloperHeadcount = 120,
            Description = "Warehouse robots and the software that runs them. A demo organisation.",
            Website = "https://acme.example",
            LeaderboardOptIn = true,
        };
        organisation.Members.Add(new Membership { UserId = user.Id, Role = OrganisationRole.Owner });
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync(cancellation);

        var access = new OrgAccess(organisation, OrganisationRole.Owner, user.Id, null, ApiTokenScopes.None);
        foreach (var (product, name, document) in DemoSboms.All())
        {
            using var body = new MemoryStream(document);
            var result = await ingestion.IngestAsync(access, product, body, $"{product}.cdx.json", cancellation);
            if (!result.Succeeded)
            {
                LogDemoSbomRefused(logger, product, result.Error);
                continue;
            }

            await db.Products.Where(p => p.OrganisationId == organisation.Id && p.Slug == product).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, name), cancellation);
        }

        await signals.SeedAsync(cancellation);
        await SeedAllocationAsync(access, cancellation);
        LogSeeded(logger, organisation.Name, demo.Email, demo.Password);
    }

    /// <summary>
    /// Projects from what the demo SBOMs say (every demo package names its repository, so no registry
    /// is asked), a policy with a budget below the suggestion and a cap, and one saved snapshot, so the
    /// Suggest, Policy and Snapshots tabs are populated for a first visitor.
    /// </summary>
    private async Task SeedAllocationAsync(OrgAccess access, CancellationToken cancellation)
    {
        var organisationId = access.Organisation.Id;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            limit.CancelAfter(TimeSpan.FromSeconds(30));
            await resolver.ResolveOrganisationAsync(organisationId, progress: null, limit.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            LogDemoResolutionFailed(logger, e.Message);
        }

        var policy = new StoredPolicy(Core.Currency.USD, new Core.Money(150_000_00, Core.Currency.USD), PolicySettings.Default with
        {
            Maximum = new LimitSetting(1200, null),
            Minimum = new LimitSetting(50, null),
        });
        await policies.SaveAsync(organisationId, policy, access.UserId, cancellation);
        var basis = await bases.ReadAsync(organisationId, cancellation);
        var allocation = basis.Prepare(policy).Allocate(policy.Budget!.Value, policy.Settings.ToPolicy(policy.Currency));
        var (_, error) = await snapshots.SaveAsync(access, "FY2027 proposal", policy, allocation, basis, cancellation);
        if (error is not null)
            LogDemoSnapshotRefused(logger, error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resolving the demo packages to projects failed: {Error}")]
    private static partial void LogDemoResolutionFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The demo snapshot was refused: {Error}")]
    private static partial void LogDemoSnapshotRefused(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The demo user could not be created: {Errors}")]
    private static partial void LogDemoUserRefused(ILogger logger, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The demo SBOM for {Product} was refused: {Error}")]
    private static partial void LogDemoSbomRefused(ILogger logger, string product, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo organisation '{Organisation}'; sign in as {Email} with the password {Password}")]
    private static partial void LogSeeded(ILogger logger, string organisation, string email, string password);
}

public static class DemoSetup
{
    public static IHostApplicationBuilder AddDemoData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        builder.Services.AddScoped<DemoData>();
        return builder;
    }
}
