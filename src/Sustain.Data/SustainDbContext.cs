using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Sustain.Data.Allocations;
using Sustain.Data.Identity;
using Sustain.Data.Jobs;
using Sustain.Data.Maintainers;
using Sustain.Data.Ledger;
using Sustain.Data.Organisations;
using Sustain.Data.Payouts;
using Sustain.Data.Pledges;
using Sustain.Data.Projects;
using Sustain.Data.Sboms;

namespace Sustain.Data;

public class SustainDbContext(DbContextOptions<SustainDbContext> options)
    : IdentityDbContext<SustainUser>(options), IDataProtectionKeyContext
{
    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<SbomUpload> SbomUploads => Set<SbomUpload>();

    public DbSet<SbomComponentRow> SbomComponents => Set<SbomComponentRow>();

    public DbSet<Package> Packages => Set<Package>();

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<PackageProject> PackageProjects => Set<PackageProject>();

    public DbSet<UnresolvedPackage> UnresolvedPackages => Set<UnresolvedPackage>();

    public DbSet<PackageMetadataCache> PackageMetadataCache => Set<PackageMetadataCache>();

    public DbSet<ManualMapping> ManualMappings => Set<ManualMapping>();

    public DbSet<ProjectSignals> ProjectSignals => Set<ProjectSignals>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<AllocationSnapshot> AllocationSnapshots => Set<AllocationSnapshot>();

    public DbSet<AllocationSnapshotShare> AllocationSnapshotShares => Set<AllocationSnapshotShare>();

    public DbSet<OrganisationPolicy> OrganisationPolicies => Set<OrganisationPolicy>();

    public DbSet<MaintainerClaim> MaintainerClaims => Set<MaintainerClaim>();

    public DbSet<MaintainerInvitation> MaintainerInvitations => Set<MaintainerInvitation>();

    public DbSet<MaintainerSplitVersion> MaintainerSplitVersions => Set<MaintainerSplitVersion>();

    public DbSet<MaintainerSplitShare> MaintainerSplitShares => Set<MaintainerSplitShare>();

    public DbSet<MaintainerAuditEntry> MaintainerAuditLog => Set<MaintainerAuditEntry>();

    public DbSet<Pledge> Pledges => Set<Pledge>();

    public DbSet<PledgePayment> PledgePayments => Set<PledgePayment>();

    public DbSet<PaymentDispute> PaymentDisputes => Set<PaymentDispute>();

    public DbSet<LedgerPosting> LedgerPostings => Set<LedgerPosting>();

    public DbSet<LedgerLine> LedgerLines => Set<LedgerLine>();

    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();

    public DbSet<Payout> Payouts => Set<Payout>();

    public DbSet<ConnectedAccount> ConnectedAccounts => Set<ConnectedAccount>();

    public DbSet<EscrowLineRelease> EscrowLineReleases => Set<EscrowLineRelease>();

    public DbSet<EscrowNotice> EscrowNotices => Set<EscrowNotice>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseChangesToAppendOnlyRecords();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseChangesToAppendOnlyRecords();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(SustainDbContext).Assembly);
    }

    private void RefuseChangesToAppendOnlyRecords()
    {
        foreach (var entry in ChangeTracker.Entries<IAppendOnly>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
                throw new InvalidOperationException($"A {entry.Metadata.ClrType.Name} is never changed or deleted once saved; record a correction instead.");
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset; store instants as UTC ticks everywhere so both providers agree.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToTicksConverter>();
    }
}
