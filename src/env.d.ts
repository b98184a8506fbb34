/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Set by a story page while it renders; the components in its MDX read it. */
    story?: import('./build/story-context.ts').StoryContext;
  }
}
