using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sustain.Data.Organisations;
using Sustain.Data.Projects;

namespace Sustain.Data.Configurations;

internal static class ProjectKeys
{
    /// <summary>Long enough for any real purl; short enough for a B-tree key on both providers.</summary>
    public const int PackageKeyLength = 1000;

    public const int ProjectKeyLength = 400;
}

internal sealed class PackageEntityTypeConfiguration : IEntityTypeConfiguration<Package>
{
    public void Configure(EntityTypeBuilder<Package> builder)
    {
        builder.HasKey(p => p.Key);
        builder.Property(p => p.Key).HasMaxLength(ProjectKeys.PackageKeyLength);
        builder.Property(p => p.Ecosystem).HasMaxLength(64);
        builder.Property(p => p.Name).HasMaxLength(ProjectKeys.PackageKeyLength);
        builder.HasIndex(p => p.Ecosystem);
    }
}

internal sealed class ProjectEntityTypeConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.HasKey(p => p.Key);
        builder.Property(p => p.Key).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.Property(p => p.Host).HasMaxLength(255);
        builder.Property(p => p.Owner).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.Property(p => p.Name).HasMaxLength(255);
        builder.Property(p => p.RepositoryUrl).HasMaxLength(ProjectKeys.ProjectKeyLength + 8);
        builder.HasIndex(p => p.Owner);
    }
}

internal sealed class PackageProjectEntityTypeConfiguration : IEntityTypeConfiguration<PackageProject>
{
    public void Configure(EntityTypeBuilder<PackageProject> builder)
    {
        builder.HasKey(m => new { m.OrganisationId, m.PackageKey });
        builder.Property(m => m.PackageKey).HasMaxLength(ProjectKeys.PackageKeyLength);
        builder.Property(m => m.ProjectKey).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.Property(m => m.Source).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(m => new { m.OrganisationId, m.ProjectKey });
        builder.HasIndex(m => m.ProjectKey);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Package>().WithMany().HasForeignKey(m => m.PackageKey).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectKey).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UnresolvedPackageEntityTypeConfiguration : IEntityTypeConfiguration<UnresolvedPackage>
{
    public void Configure(EntityTypeBuilder<UnresolvedPackage> builder)
    {
        builder.HasKey(u => new { u.OrganisationId, u.PackageKey });
        builder.Property(u => u.PackageKey).HasMaxLength(ProjectKeys.PackageKeyLength);
        builder.Property(u => u.Reason).HasConversion<string>().HasMaxLength(32);
        builder.Property(u => u.Detail).HasMaxLength(1000);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(u => u.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Package>().WithMany().HasForeignKey(u => u.PackageKey).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PackageMetadataCacheEntityTypeConfiguration : IEntityTypeConfiguration<PackageMetadataCache>
{
    public void Configure(EntityTypeBuilder<PackageMetadataCache> builder)
    {
        builder.ToTable("PackageMetadataCache");
        builder.HasKey(c => c.PackageKey);
        builder.Property(c => c.PackageKey).HasMaxLength(ProjectKeys.PackageKeyLength);
        builder.Property(c => c.Registry).HasMaxLength(64);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(c => c.ExpiresAt);
    }
}

internal sealed class ManualMappingEntityTypeConfiguration : IEntityTypeConfiguration<ManualMapping>
{
    public void Configure(EntityTypeBuilder<ManualMapping> builder)
    {
        builder.HasKey(m => new { m.OrganisationId, m.PackageKey });
        builder.Property(m => m.PackageKey).HasMaxLength(ProjectKeys.PackageKeyLength);
        builder.Property(m => m.ProjectKey).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.Property(m => m.CreatedByUserId).HasMaxLength(450);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProjectSignalsEntityTypeConfiguration : IEntityTypeConfiguration<ProjectSignals>
{
    public void Configure(EntityTypeBuilder<ProjectSignals> builder)
    {
        builder.HasKey(s => s.ProjectKey);
        builder.Property(s => s.ProjectKey).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(s => s.OwnerKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.LicenseSpdxId).HasMaxLength(100);
        builder.Property(s => s.DefaultBranch).HasMaxLength(255);
        builder.Property(s => s.MaintainerLogins).HasMaxLength(1000);
        builder.Property(s => s.FundingWarning).HasMaxLength(1000);
        builder.Property(s => s.Error).HasMaxLength(1000);
        builder.HasIndex(s => s.ExpiresAt);
        builder.HasOne<Project>().WithOne().HasForeignKey<ProjectSignals>(s => s.ProjectKey).OnDelete(DeleteBehavior.Cascade);
    }
}
