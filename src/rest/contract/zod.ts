import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

// Once, before any schema is built: `.openapi()` names components and adds documentation.
extendZodWithOpenApi(z);

export { z };
