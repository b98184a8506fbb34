/**
 * The site's addresses, in one place, so every page links the same way and
 * works under any base path (`base` is `import.meta.env.BASE_URL`, which
 * ends in a slash).
 */
export const links = {
  home: (base: string) => base,
  story: (base: string, slug: string) => `${base}stories/${slug}/`,
  present: (base: string, slug: string) => `${base}stories/${slug}/present/`,
  archive: (base: string) => `${base}stories/`,
  kpis: (base: string) => `${base}kpis/`,
  metric: (base: string, id: string) => `${base}kpis/${id}/`,
  tree: (base: string) => `${base}tree/`,
  dictionary: (base: string) => `${base}dictionary/`,
  term: (base: string, id: string) => `${base}dictionary/#${id}`,
  strategy: (base: string) => `${base}strategy/`,
  decisions: (base: string) => `${base}decisions/`,
  gallery: (base: string) => `${base}gallery/`,
  snapshot: (base: string, snapshot: string, file: string) => `${base}data/snapshots/${snapshot}/${file}`,
};
