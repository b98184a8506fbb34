/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Set by a story page while it renders; the components in its MDX read it. */
    story?: import('./site/story-context.ts').StoryContext;
    /** Set by the presentation page: Slide and Notes render for the deck, charts at slide size. */
    deck?: boolean;
  }
}

// tsc (TypeScript 7) has no Astro language-server plugin, so tests that import
// components see them through this declaration. `.astro` files themselves are
// checked by Astro's compiler at build time, not by tsc.
declare module '*.astro' {
  const Component: import('astro/runtime/server/index.js').AstroComponentFactory;
  export default Component;
}
