"""PyTorch twin of `multirater bench --model resnet18-unet2d` (src/models/resnet18-unet.ts; the pattern of
../shared/tools/pytorch-unet-bench.py): ResNet-18 encoder (7x7 stride-2 conv 64 -> BN -> ReLU, 3x3 stride-2
max-pool, four stages of two basic blocks 64/128/256/512, strided first block + 1x1 projection where the shape
changes), U-Net decoder (nearest x2 up-sampling, skip from stages 3, 2, 1 and the stem, two [conv3x3 -> BN -> ReLU]
with 256/128/64/32/16 channels), 1x1 head to 4 classes; convs before BN without bias; cross-entropy; Adam lr 1e-3.
Usage: pytorch-resnet18-unet-bench.py [threads] [size] [batch]. Prints JSON: median seconds of a training step and
of an inference pass (after 2 warm-up runs of 7), threads, parameter count (14,321,860 for 4 classes)."""
import json, sys, time, statistics
import torch, torch.nn as nn, torch.nn.functional as F
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
size = int(sys.argv[2]) if len(sys.argv) > 2 else 192
batch = int(sys.argv[3]) if len(sys.argv) > 3 else 16
torch.set_num_threads(threads); torch.manual_seed(0)
def cna(ci, co, k=3, s=1): return nn.Sequential(nn.Conv2d(ci, co, k, s, k // 2, bias=False), nn.BatchNorm2d(co), nn.ReLU())
class Basic(nn.Module):
    def __init__(s, ci, co, stride):
        super().__init__()
        s.a = cna(ci, co, 3, stride); s.b = nn.Conv2d(co, co, 3, 1, 1, bias=False); s.bn = nn.BatchNorm2d(co)
        s.proj = nn.Sequential(nn.Conv2d(ci, co, 1, stride, bias=False), nn.BatchNorm2d(co)) if stride != 1 or ci != co else nn.Identity()
    def forward(s, x): return F.relu(s.bn(s.b(s.a(x))) + s.proj(x))
class ResNet18UNet(nn.Module):
    def __init__(s, classes=4):
        super().__init__()
        s.stem = cna(1, 64, 7, 2); s.stages = nn.ModuleList(); c = 64
        for i, k in enumerate((64, 128, 256, 512)):
            s.stages.append(nn.Sequential(Basic(c, k, 1 if i == 0 else 2), Basic(k, k, 1))); c = k
        s.dec = nn.ModuleList()
        for k, skip in zip((256, 128, 64, 32, 16), (256, 128, 64, 64, 0)):
            s.dec.append(nn.Sequential(cna(c + skip, k), cna(k, k))); c = k
        s.head = nn.Conv2d(c, classes, 1)
    def forward(s, x):
        x = s.stem(x); skips = [x]; x = F.max_pool2d(x, 3, 2, 1)
        for i, st in enumerate(s.stages):
            x = st(x)
            if i < 3: skips.append(x)
        for d in s.dec:
            x = F.interpolate(x, scale_factor=2, mode='nearest')
            if skips: x = torch.cat([x, skips.pop()], 1)
            x = d(x)
        return s.head(x)
m = ResNet18UNet(); opt = torch.optim.Adam(m.parameters(), 1e-3)
x = torch.randn(batch, 1, size, size); y = torch.randint(0, 4, (batch, size, size))
def step():
    opt.zero_grad(); loss = F.cross_entropy(m(x), y); loss.backward(); opt.step()
tr = []
for i in range(7):
    t0 = time.perf_counter(); step(); tr.append(time.perf_counter() - t0)
m.eval(); inf = []
with torch.no_grad():
    for i in range(7):
        t0 = time.perf_counter(); m(x); inf.append(time.perf_counter() - t0)
print(json.dumps(dict(engine='pytorch ' + torch.__version__, model='resnet18-unet2d', threads=threads, size=size, batch=batch,
                      params=sum(p.numel() for p in m.parameters()), trainStepSeconds=statistics.median(tr[2:]), inferenceSeconds=statistics.median(inf[2:]))))
