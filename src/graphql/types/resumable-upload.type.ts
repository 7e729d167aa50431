import { GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { RESUMABLE_UPLOAD_STATUSES, type ResumableUploadStatus } from "../../assets/resumable/resumable-upload.repository";
import { AssetObject, enumOf } from "./asset.type";

export const ResumableUploadStatusEnum = enumOf(RESUMABLE_UPLOAD_STATUSES);
registerEnumType(ResumableUploadStatusEnum, {
  name: "ResumableUploadStatus",
  description: "receiving: bytes still arriving; processing: all arrived, being checked; completed: stored as an asset or version; failed: refused (see error)",
});

@ObjectType("UploadRefusal", { description: "Why an upload was refused: the same code and message a multipart upload would have answered with" })
export class UploadRefusalObject {
  @Field({ description: "The API.md error code (FILE_TOO_LARGE, MIME_MISMATCH, DUPLICATE_ASSET, SECURITY_VIOLATION…)" })
  code: string;

  @Field({ description: "What was wrong, for people" })
  message: string;

  @Field(() => GraphQLJSONObject, { description: "The code's details (max_bytes, the duplicate's asset_id…)" })
  details: Record<string, unknown>;
}

@ObjectType("ResumableUpload", { description: "A resumable (tus) upload sent to /v1/uploads, and what became of it" })
export class ResumableUploadObject {
  @Field(() => ID, { description: "The last segment of the upload's URL" })
  id: string;

  @Field(() => ResumableUploadStatusEnum, { description: "Where the upload stands" })
  status: ResumableUploadStatus;

  @Field(() => Float, { description: "Bytes received so far" })
  offset: number;

  @Field(() => Float, { description: "Upload-Length: the whole file's size" })
  length: number;

  @Field({ description: "The file name from Upload-Metadata" })
  filename: string;

  @Field(() => AssetObject, { nullable: true, description: "The asset it became (or, with on_duplicate=link, the one that already held its bytes), while it exists" })
  asset: unknown;

  @Field(() => Int, { nullable: true, description: "The version it became" })
  versionNumber: number | null;

  @Field({ description: "True when on_duplicate=link answered with an asset that already held these bytes" })
  linked: boolean;

  @Field(() => UploadRefusalObject, { nullable: true, description: "Why it was refused, when status is FAILED" })
  error: UploadRefusalObject | null;

  @Field({ description: "When it began" })
  createdAt: Date;

  @Field({ description: "An unfinished upload is removed then; a finished one's outcome is kept until then" })
  expiresAt: Date;

  @Field(() => Date, { nullable: true, description: "When it was processed (completed or refused)" })
  finishedAt: Date | null;
}
