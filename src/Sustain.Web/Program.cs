using Sustain.Web;
using Sustain.Web.Allocations;
using Sustain.Web.Demo;
using Sustain.Web.Identity;
using Sustain.Web.Jobs;
using Sustain.Web.Leaderboards;
using Sustain.Web.Maintainers;
using Sustain.Web.Operations;
using Sustain.Web.Organisations;
using Sustain.Web.Payouts;
using Sustain.Web.Pledges;
using Sustain.Web.Projects;
using Sustain.Web.Sboms;

var builder = WebApplication.CreateBuilder(args);

builder.AddOperations();
builder.AddSustainData();
builder.AddIdentityFeature();
builder.AddOrganisations();
builder.AddSboms();
builder.AddProjects();
builder.AddAllocations();
builder.AddJobs();
builder.AddMaintainers();
builder.AddPledges();
builder.AddPayouts();
builder.AddLeaderboards();
builder.AddDemoData();
builder.AddUserInterface();

var app = builder.Build();

app.UseOperations();
app.MapIdentityFeature();
app.MapOrganisations();
app.MapSboms();
app.MapAllocations();
app.MapPledges();
app.MapPayouts();
app.MapLeaderboards();
app.MapUserInterface();

await app.MigrateDatabaseAsync();
await app.SeedDemoPledgeAsync();
await app.RunAsync();

/// <summary>The entry point, public so integration tests can start the app.</summary>
public partial class Program;
