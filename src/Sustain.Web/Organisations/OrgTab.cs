namespace Sustain.Web.Organisations;

public enum OrgTab
{
    Overview,
    Dependencies,
    Projects,
    Settings,
    Members,
    Tokens,
}
