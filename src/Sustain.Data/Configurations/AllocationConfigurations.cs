using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sustain.Data.Allocations;
using Sustain.Data.Organisations;

namespace Sustain.Data.Configurations;

internal sealed class AllocationSnapshotEntityTypeConfiguration : IEntityTypeConfiguration<AllocationSnapshot>
{
    public void Configure(EntityTypeBuilder<AllocationSnapshot> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.Property(s => s.Label).HasMaxLength(200);
        builder.Property(s => s.CreatedByUserId).HasMaxLength(450);
        builder.Property(s => s.UnallocatedReason).HasMaxLength(1000);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(s => s.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.OrganisationId, s.CreatedAt });
        builder.HasMany(s => s.Shares).WithOne().HasForeignKey(s => s.SnapshotId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AllocationSnapshotShareEntityTypeConfiguration : IEntityTypeConfiguration<AllocationSnapshotShare>
{
    public void Configure(EntityTypeBuilder<AllocationSnapshotShare> builder)
    {
        builder.HasKey(s => new { s.SnapshotId, s.ProjectKey });
        builder.Property(s => s.ProjectKey).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.Property(s => s.Status).HasMaxLength(32);
        builder.HasIndex(s => s.ProjectKey);
    }
}

internal sealed class OrganisationPolicyEntityTypeConfiguration : IEntityTypeConfiguration<OrganisationPolicy>
{
    public void Configure(EntityTypeBuilder<OrganisationPolicy> builder)
    {
        builder.HasKey(p => p.OrganisationId);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.UpdatedByUserId).HasMaxLength(450);
        builder.HasOne<Organisation>().WithOne().HasForeignKey<OrganisationPolicy>(p => p.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}
