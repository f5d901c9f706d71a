using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sustain.Data.Identity;
using Sustain.Data.Maintainers;
using Sustain.Data.Projects;

namespace Sustain.Data.Configurations;

internal sealed class MaintainerClaimEntityTypeConfiguration : IEntityTypeConfiguration<MaintainerClaim>
{
    public void Configure(EntityTypeBuilder<MaintainerClaim> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.ProjectKey).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.Property(c => c.UserId).HasMaxLength(450);
        builder.Property(c => c.GitHubLogin).HasMaxLength(100);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Proof).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.VerificationToken).HasMaxLength(64);
        builder.Property(c => c.LastCheckFailure).HasMaxLength(1000);
        builder.Property(c => c.ContestReason).HasMaxLength(2000);
        builder.Property(c => c.DecisionReason).HasMaxLength(2000);
        builder.Property(c => c.Revision).IsConcurrencyToken();
        builder.HasIndex(c => new { c.ProjectKey, c.State });
        builder.HasIndex(c => new { c.UserId, c.ProjectKey });
        builder.HasIndex(c => c.State);
        builder.HasIndex(c => c.VerificationToken).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectKey).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SustainUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MaintainerInvitationEntityTypeConfiguration : IEntityTypeConfiguration<MaintainerInvitation>
{
    public void Configure(EntityTypeBuilder<MaintainerInvitation> builder)
    {
        builder.HasKey(i => i.Id);
        builder.Property(i => i.ProjectKey).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.Property(i => i.GitHubLogin).HasMaxLength(100);
        builder.Property(i => i.NormalizedLogin).HasMaxLength(100);
        builder.Property(i => i.InvitedByUserId).HasMaxLength(450);
        builder.HasIndex(i => new { i.NormalizedLogin, i.ProjectKey });
        builder.HasOne<Project>().WithMany().HasForeignKey(i => i.ProjectKey).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MaintainerSplitVersionEntityTypeConfiguration : IEntityTypeConfiguration<MaintainerSplitVersion>
{
    public void Configure(EntityTypeBuilder<MaintainerSplitVersion> builder)
    {
        builder.HasKey(v => v.Id);
        builder.Property(v => v.ProjectKey).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.Property(v => v.CreatedByUserId).HasMaxLength(450);
        builder.Property(v => v.Reason).HasMaxLength(500);
        builder.HasIndex(v => new { v.ProjectKey, v.Number }).IsUnique();
        builder.HasIndex(v => new { v.ProjectKey, v.EffectiveFrom });
        builder.HasOne<Project>().WithMany().HasForeignKey(v => v.ProjectKey).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(v => v.Shares).WithOne().HasForeignKey(s => s.VersionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MaintainerSplitShareEntityTypeConfiguration : IEntityTypeConfiguration<MaintainerSplitShare>
{
    public void Configure(EntityTypeBuilder<MaintainerSplitShare> builder)
    {
        builder.HasKey(s => new { s.VersionId, s.UserId });
        builder.Property(s => s.UserId).HasMaxLength(450);
        builder.Property(s => s.GitHubLogin).HasMaxLength(100);
    }
}

internal sealed class MaintainerAuditEntryEntityTypeConfiguration : IEntityTypeConfiguration<MaintainerAuditEntry>
{
    public void Configure(EntityTypeBuilder<MaintainerAuditEntry> builder)
    {
        builder.ToTable("MaintainerAuditLog");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.ProjectKey).HasMaxLength(ProjectKeys.ProjectKeyLength);
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.ActorUserId).HasMaxLength(450);
        builder.Property(e => e.ActorName).HasMaxLength(300);
        builder.Property(e => e.Details).HasMaxLength(2000);
        builder.HasIndex(e => new { e.ProjectKey, e.At });
        builder.HasIndex(e => e.At);
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectKey).OnDelete(DeleteBehavior.Restrict);
    }
}
