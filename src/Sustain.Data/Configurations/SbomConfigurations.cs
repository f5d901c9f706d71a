using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sustain.Data.Organisations;
using Sustain.Data.Sboms;

namespace Sustain.Data.Configurations;

internal sealed class SbomUploadEntityTypeConfiguration : IEntityTypeConfiguration<SbomUpload>
{
    public void Configure(EntityTypeBuilder<SbomUpload> builder)
    {
        builder.HasIndex(u => new { u.ProductId, u.Sha256 }).IsUnique();
        builder.HasIndex(u => new { u.ProductId, u.UploadedAt });
        builder.Property(u => u.Sha256).HasMaxLength(64);
        builder.Property(u => u.FileName).HasMaxLength(260);
        builder.Property(u => u.Format).HasMaxLength(32);
        builder.Property(u => u.SpecVersion).HasMaxLength(16);
        builder.Property(u => u.State).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Product>().WithMany().HasForeignKey(u => u.ProductId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SbomComponentRowEntityTypeConfiguration : IEntityTypeConfiguration<SbomComponentRow>
{
    public void Configure(EntityTypeBuilder<SbomComponentRow> builder)
    {
        builder.ToTable("SbomComponents");
        builder.HasIndex(c => new { c.UploadId, c.Index }).IsUnique();
        builder.HasIndex(c => new { c.UploadId, c.Depth });
        builder.HasIndex(c => new { c.UploadId, c.PackageKey });
        builder.HasOne<SbomUpload>().WithMany().HasForeignKey(c => c.UploadId).OnDelete(DeleteBehavior.Cascade);
    }
}
